package io.gamestate.devstack.scorecard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The ramp through the GLS: Gatling's RmwRampSimulation (players' moves over HTTP at rising arrival
 * rates, the GLS in immediate mode), run by the gatling module's Maven build after the suite is
 * warm; its levels become the rows, and the highest rate whose p99 stays within the bound the finding.
 */
public final class Ramp implements Scenario {

    private static final int WARMUP_PLAYERS = 50;

    private final Path suiteDirectory;
    private final String gls;
    private final int startRate;
    private final int stepRate;
    private final int levels;
    private final int levelSeconds;
    private final int warmupSeconds;

    public Ramp(Path suiteDirectory, String gls, int startRate, int stepRate, int levels, int levelSeconds, int warmupSeconds) {
        this.suiteDirectory = suiteDirectory;
        this.gls = gls;
        this.startRate = startRate;
        this.stepRate = stepRate;
        this.levels = levels;
        this.levelSeconds = levelSeconds;
        this.warmupSeconds = warmupSeconds;
    }

    @Override
    public String name() {
        return "ramp";
    }

    @Override
    public String title() {
        return "Ramp through the GLS: the highest rate of moves with p99 within 15 ms (Gatling)";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("simulation", "io.gamestate.gatling.RmwRampSimulation");
        p.put("gls", gls);
        p.put("startRate", startRate);
        p.put("stepRate", stepRate);
        p.put("levels", levels);
        p.put("levelSeconds", levelSeconds);
        p.put("warmupSeconds", warmupSeconds);
        return p;
    }

    @Override
    public Outcome run(ScenarioContext context) throws Exception {
        JitCompilers.Warmup warmup = warmSuite(context);
        Files.createDirectories(context.directory());
        Path levelsJson = context.directory().resolve("ramp-gatling.levels").toAbsolutePath();
        Files.deleteIfExists(levelsJson);
        Path log = context.directory().resolve("ramp-gatling.log");
        Process gatling = new ProcessBuilder(suiteDirectory.resolve("mvnw").toString(), "-B", "-q",
                "-f", suiteDirectory.resolve("gatling/pom.xml").toString(), "gatling:test",
                "-Dsimulation=io.gamestate.gatling.RmwRampSimulation", "-DbaseUrl=" + gls, "-DresultJson=" + levelsJson,
                "-DstartRate=" + startRate, "-DstepRate=" + stepRate, "-Dlevels=" + levels, "-DlevelSeconds=" + levelSeconds,
                "-DwarmupSeconds=" + warmupSeconds)
                .directory(suiteDirectory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long limit = warmupSeconds + (long) levels * levelSeconds + 300;
        if (!gatling.waitFor(limit, TimeUnit.SECONDS)) {
            gatling.destroyForcibly();
            throw new IOException("the Gatling ramp ran longer than " + limit + " s; see " + log);
        }
        // Gatling exits non-zero when its assertions fail; the levels are written either way.
        if (!Files.exists(levelsJson)) {
            throw new IOException("the Gatling ramp wrote no levels (exit " + gatling.exitValue() + "); see " + log);
        }
        JsonNode ramp = new ObjectMapper().readTree(levelsJson.toFile());
        int bound = ramp.path("p99BoundMs").asInt();
        List<ScenarioReport.Result> results = new ArrayList<>();
        double highest = 0;
        for (JsonNode level : ramp.path("levels")) {
            long requests = level.path("requests").asLong();
            long failed = level.path("failed").asLong();
            Map<String, Long> answers = new TreeMap<>(Map.of("OK", requests - failed));
            if (failed > 0) {
                answers.put("KO", failed);
            }
            results.add(new ScenarioReport.Result("ramp", Map.of("rate", level.path("rate").asInt()), "RMW-units", levelSeconds,
                    requests, (double) requests / levelSeconds, (double) (requests - failed) / levelSeconds,
                    new ScenarioReport.Latency(level.path("p50").asDouble(), level.path("p95").asDouble(), level.path("p99").asDouble(),
                            level.path("p999").asDouble(), level.path("max").asDouble(), level.path("mean").asDouble()),
                    answers, Map.of(), Map.of(), null, null));
            boolean within = requests > 0 && level.path("p99").asInt() <= bound && failed * 100 <= requests;
            if (within) {
                highest = Math.max(highest, (double) (requests - failed) / levelSeconds);
            }
        }
        Map<String, Double> findings = new LinkedHashMap<>(warmup.findings());
        findings.put("highestRateWithinP99", highest);
        return new Outcome(results, findings, List.of());
    }

    /**
     * Players' moves through the GLS at the first level's rate until the JIT compilers are idle.
     * Gatling's warm-up lasts seconds: run alone on a suite just started, the ramp's first levels
     * were answered by code not yet compiled (p99 18-32 ms, where a warm suite answers within 10).
     */
    private JitCompilers.Warmup warmSuite(ScenarioContext context) throws IOException, InterruptedException {
        GlsPlayers client = new GlsPlayers();
        List<GlsPlayers.Player> players = client.joinScattered(List.of(gls), WARMUP_PLAYERS, 13);
        // Each player waits for its answer: a GLS slower than this pace slows the warm-up instead of queueing it.
        Duration pace = Duration.ofNanos(TimeUnit.SECONDS.toNanos(WARMUP_PLAYERS) / startRate);
        WindowRecorder unmeasured = new WindowRecorder();
        JitCompilers.Warmup warmup = context.compilers().repeatUntilIdle(() -> client.moveAround(players, pace, context.warmup(), unmeasured));
        client.leave(players);
        return warmup;
    }
}
