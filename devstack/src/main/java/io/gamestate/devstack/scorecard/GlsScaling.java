package io.gamestate.devstack.scorecard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GLS scaling: 1, 2, 4... GLS processes of their own (own ports, in immediate mode, beside the
 * suite's state-service and query-service), each with its own players, as a studio adds a GLS to
 * serve more of them: the load grows with the count, and linear scaling keeps each GLS's rate.
 * Players move at a player's pace, measured once the JIT compilers are idle; RMW-units/s and p99
 * per count. On a machine whose cores are all busy already, more processes cannot add throughput:
 * the figure shows the mechanism and its cost.
 */
public final class GlsScaling implements Scenario {

    private final Path glsJar;
    private final List<Integer> counts;
    private final int firstPort;
    private final int playersPerGls;
    private final Duration pace;
    private final boolean tracing;

    public GlsScaling(Path glsJar, List<Integer> counts, int firstPort, int playersPerGls, Duration pace, boolean tracing) {
        this.glsJar = glsJar;
        this.counts = counts;
        this.firstPort = firstPort;
        this.playersPerGls = playersPerGls;
        this.pace = pace;
        this.tracing = tracing;
    }

    @Override
    public String name() {
        return "gls-scaling";
    }

    @Override
    public String title() {
        return "GLS scaling: 1, 2, 4 GLS processes, each with the same number of players";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("glsCounts", counts);
        p.put("playersPerGls", playersPerGls);
        p.put("paceMsPerAction", pace.toMillis());
        p.put("action", "move near home (one RMW-unit), sent alone (gls.mode=immediate)");
        p.put("glsPorts", firstPort + "..." + (firstPort + counts.stream().mapToInt(Integer::intValue).max().orElse(1) - 1));
        return p;
    }

    @Override
    public Outcome run(ScenarioContext context) throws Exception {
        List<ScenarioReport.Result> results = new ArrayList<>();
        Map<String, Double> findings = new LinkedHashMap<>();
        GlsPlayers client = new GlsPlayers();
        for (int count : counts) {
            List<Process> processes = new ArrayList<>();
            try {
                List<String> urls = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    processes.add(start(firstPort + i, context.directory()));
                    urls.add("http://127.0.0.1:" + (firstPort + i));
                }
                for (String url : urls) {
                    awaitReady(url);
                }
                List<GlsPlayers.Player> players = client.joinScattered(urls, playersPerGls * count, 11);
                // The new GLS processes start cold, and their compilers share the cores with the measured
                // calls: the window opens once the compilers are idle (they are this command's children, watched).
                JitCompilers.Warmup warmup = context.compilers().repeatUntilIdle(
                        () -> client.moveAround(players, pace, context.warmup(), new WindowRecorder()));
                WindowRecorder moves = context.measuringCpu(Duration.ZERO, () -> {
                    WindowRecorder window = new WindowRecorder(System.nanoTime());
                    client.moveAround(players, pace, context.duration(), window);
                    return window;
                });
                client.leave(players);
                findings.put("warmupSeconds, " + count + " GLS", warmup.findings().get("warmupSeconds"));
                ScenarioReport.Result row = context.result("gls", Map.of("glsCount", count), "RMW-units", moves);
                results.add(row);
                findings.put("RMW-units/s per GLS, " + count + " GLS", row.goodput() / count);
                System.out.printf("%d GLS: %.0f RMW-units/s (%.0f per GLS), p99 %.2f ms, answers %s%n", count, row.goodput(),
                        row.goodput() / count, row.latencyMs().p99(), row.answersByCode());
            } finally {
                for (Process process : processes) {
                    process.destroy();
                }
                for (Process process : processes) {
                    process.waitFor();
                }
            }
        }
        return new Outcome(results, findings, List.of());
    }

    /** A GLS of its own on the suite's state-service and query-service (STATE_PORT, QUERY_PORT are passed on). */
    private Process start(int port, Path logDirectory) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgls.mode=immediate", "-Dquarkus.http.port=" + port));
        if (!tracing) {
            command.add("-Dquarkus.otel.sdk.disabled=true");
        }
        command.addAll(List.of("-jar", glsJar.toString()));
        Files.createDirectories(logDirectory);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logDirectory.resolve("gls-" + port + ".log").toFile()).start();
    }

    private static void awaitReady(String url) throws InterruptedException, IOException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException("GLS at " + url + " did not become ready in 60 s");
    }
}
