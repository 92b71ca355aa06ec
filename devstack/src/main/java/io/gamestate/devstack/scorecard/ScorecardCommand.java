package io.gamestate.devstack.scorecard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gamestate.devstack.EnumNames;
import io.gamestate.devstack.Durations;
import io.gamestate.devstack.StateLoad;
import io.gamestate.devstack.transfers.BareStore;
import io.gamestate.proto.query.v1.QueryService;
import io.gamestate.proto.state.v1.StateService;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code scorecard}: the PoC scorecard's scenarios against the running suite on one store. For
 * each scenario it records the store's version and settings, the services' settings (their
 * {@code /q/info}), the machine, the rows measured, CPU and memory of the store and of the
 * processes named with {@code --watch}, and the store's log bytes, in
 * {@code <out>/<store-label>/<scenario>.json} (schema: scorecard/scenario-report.schema.json).
 * {@code ./run.sh --scorecard} starts each store and the suite, runs this, then {@code scorecard-report}.
 */
@Command(name = "scorecard", showDefaultValues = true,
        description = "Run the scorecard's scenarios against the running suite on one store; write one JSON per scenario.")
public class ScorecardCommand implements Callable<Integer> {

    /**
     * Scenarios by their command-line names. Reads under writes comes late by default: its bulk load
     * of a million entities leaves the store vacuuming and checkpointing for minutes after it.
     * Failover comes last: it kills the primary.
     */
    enum ScenarioName {
        GAME_MIX, CONTENDED_TRANSFERS, HOT_CELL, RAMP, GLS_SCALING, REPLICATION, READS_UNDER_WRITES, FAILOVER, CDC;

        @Override
        public String toString() {
            return EnumNames.of(this);
        }

        static final class Named extends EnumNames<ScenarioName> {
            Named() {
                super(ScenarioName.class, "scenario");
            }
        }
    }

    public static final class FamilyName extends EnumNames<BareStore.Family> {
        public FamilyName() {
            super(BareStore.Family.class, "store family");
        }
    }

    @GrpcClient("state")
    StateService state;

    @GrpcClient("query")
    QueryService query;

    /** The same client's channel, for calls that must be cancelled on the wire (change streams). */
    @GrpcClient("query")
    Channel queryChannel;

    @Option(names = "--store-label", required = true, paramLabel = "<label>",
            description = "The store's name in the scorecard: embedded, postgres, mariadb...")
    String storeLabel;

    @Option(names = "--family", paramLabel = "<family>", defaultValue = "postgresql", converter = FamilyName.class,
            description = "Store family, as the services' build: postgresql or mysql.")
    BareStore.Family family;

    // Transfers first: their players then get consecutive ids, which pgbench needs (it names players by rank).
    @Option(names = "--scenarios", paramLabel = "<name>", split = ",", converter = ScenarioName.Named.class,
            defaultValue = "contended-transfers,game-mix,cdc,hot-cell,ramp,gls-scaling,replication,reads-under-writes,failover",
            description = "Scenarios in order: ${COMPLETION-CANDIDATES}. Replication and failover run only with --standby.")
    List<ScenarioName> scenarios;

    @Option(names = "--duration", defaultValue = "10s", converter = Durations.class, description = "Measured length of each window.")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = Durations.class, description = "Unmeasured load before each window.")
    Duration warmup;

    @Option(names = "--warmup-max", defaultValue = "120s", converter = Durations.class,
            description = "Longest warm-up where a scenario warms up until the JIT compilers of the watched JVMs are idle "
                    + "(the hot cell; game mix and contended transfers before their first window).")
    Duration warmupMax;

    @Option(names = "--out", paramLabel = "<dir>", defaultValue = "target/scorecard",
            description = "Results go to <dir>/<store-label>/.")
    Path out;

    @Option(names = "--watch", paramLabel = "<name=pid>",
            description = "A process whose CPU and memory to record (with its children), e.g. state-service=1234; repeatable. "
                    + "The store's server and this command (the load generator, with the processes it starts) are always watched.")
    Map<String, Long> watch = new LinkedHashMap<>();

    @Option(names = "--gls", paramLabel = "<url>", defaultValue = "http://127.0.0.1:${env:GLS_PORT:-9100}",
            description = "The suite's GLS (hot cell, ramp), in immediate mode.")
    String gls;

    @Option(names = "--suite-dir", paramLabel = "<dir>", defaultValue = ".",
            description = "The suite's checkout: the GLS jar (gls scaling) and the gatling module (ramp).")
    Path suiteDirectory;

    @Option(names = "--standby", paramLabel = "<host:port>",
            description = "The store's streaming standby (devstack pg-replica), PostgreSQL family: replication measures its lag "
                    + "and the cost of synchronous replication, failover kills the primary and promotes it.")
    String standby;

    @Option(names = "--failover-timeline", paramLabel = "<before,pause,promote-after,window,after>", split = ",",
            converter = Durations.class, defaultValue = "10s,3s,1s,8s,15s",
            description = "Failover: load before each fault, how long the primary stays paused, kill to promotion "
                    + "(a failover manager's detection time), each fault's window, load after the last.")
    List<Duration> failoverTimeline;

    @Option(names = "--mix-players", defaultValue = "2000", description = "Game mix: players, each with a bag (npcs a fifth, nodes a tenth).")
    int mixPlayers;

    @Option(names = "--mix-concurrency", defaultValue = "16", description = "Game mix: units in flight.")
    int mixConcurrency;

    @Option(names = "--batch-size", defaultValue = "16", description = "Units per ApplyBatch call (game mix, transfers).")
    int batchSize;

    @Option(names = "--transfer-players", defaultValue = "20000", description = "Contended transfers: players.")
    int transferPlayers;

    @Option(names = "--alpha", defaultValue = "0,1.5", split = ",", description = "Contended transfers: Zipf exponents; 0 is uniform.")
    List<Double> alphas;

    @Option(names = "--transfer-concurrency", defaultValue = "32",
            description = "Contended transfers: transfers in flight (bare store connections, ApplyRmw calls).")
    int transferConcurrency;

    @Option(names = "--batches-in-flight", defaultValue = "2", description = "Contended transfers: ApplyBatch calls in flight.")
    int batchesInFlight;

    @Option(names = "--initial-warmup", defaultValue = "10s", converter = Durations.class,
            description = "Game mix and contended transfers: each mode, unmeasured, before the first window "
                    + "(a cold JIT, a store that has just taken the players); again while the JIT compilers are busy.")
    Duration initialWarmup;

    @Option(names = "--hot-players", defaultValue = "40", description = "Hot cell: players crowding the node.")
    int hotPlayers;

    @Option(names = "--hot-pause", defaultValue = "100ms", converter = Durations.class, description = "Hot cell: pause before each action.")
    Duration hotPause;

    @Option(names = "--world-sizes", defaultValue = "10000,1000000", split = ",",
            description = "Reads under writes: entities bulk-loaded into the world, one run per size, in order.")
    List<Integer> worldSizes;

    @Option(names = "--query-rate", defaultValue = "200", description = "Reads under writes: queries started per second.")
    double queryRate;

    @Option(names = "--write-rate", defaultValue = "1000",
            description = "Reads under writes: game-mix units started per second beside the queries (the studio's target per GLS).")
    double writeRate;

    @Option(names = "--ramp-start", defaultValue = "250", description = "Ramp: first level's rate (moves/s).")
    int rampStart;

    @Option(names = "--ramp-step", defaultValue = "250", description = "Ramp: rate added per level.")
    int rampStep;

    @Option(names = "--ramp-levels", defaultValue = "10", description = "Ramp: levels.")
    int rampLevels;

    @Option(names = "--ramp-level-seconds", defaultValue = "6", description = "Ramp: seconds per level.")
    int rampLevelSeconds;

    // 10 s left Gatling's own JVM, and the GLS's paths for Gatling's requests, compiling through the first
    // levels: their p99 read 37-54 ms at 250-500 moves/s; after 40 s, 4-13 ms (docs/benchmarks.md).
    @Option(names = "--ramp-warmup-seconds", defaultValue = "40",
            description = "Ramp: Gatling's unmeasured seconds before the first level, rising to the middle level's rate.")
    int rampWarmupSeconds;

    @Option(names = "--gls-counts", defaultValue = "1,2,4", split = ",", description = "GLS scaling: GLS processes per run.")
    List<Integer> glsCounts;

    @Option(names = "--gls-first-port", defaultValue = "${env:GLS_FIRST_PORT:-9200}", description = "GLS scaling: port of the first GLS; the others follow.")
    int glsFirstPort;

    @Option(names = "--gls-players", defaultValue = "60",
            description = "GLS scaling: players per GLS process (60 at the default pace: 1,000 moves/s, the studio's target per GLS).")
    int glsPlayers;

    @Option(names = "--gls-pace", defaultValue = "60ms", converter = Durations.class,
            description = "GLS scaling: a player's pace (the GLS allows 20 actions/s per session).")
    Duration glsPace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (failoverTimeline.size() != 5) {
            throw new ParameterException(spec.commandLine(), "--failover-timeline takes five durations: before,pause,promote-after,window,after");
        }
        BareStore store = BareStore.fromEnvironment(family);
        StoreProbe probe = new StoreProbe(store);
        ScenarioReport.Store storeInfo = new ScenarioReport.Store(storeLabel, family.toString(), probe.version(), probe.settings());
        ScenarioReport.Suite suite = suite(StateLoad.stateHttp());
        Path directory = out.resolve(storeLabel);
        Map<String, Long> watched = new LinkedHashMap<>();
        Long serverPid = probe.serverPid();
        if (serverPid != null) {
            watched.put("store", serverPid);
        }
        watched.putAll(watch);
        watched.put("devstack (load generator)", ProcessHandle.current().pid());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JitCompilers compilers = new JitCompilers(watched.values(), warmupMax);

        boolean allHold = true;
        GameMix gameMix = new GameMix(state, mixPlayers, mixConcurrency, batchSize, initialWarmup);
        for (ScenarioName name : scenarios) {
            Scenario scenario = switch (name) {
                case GAME_MIX -> gameMix;
                case CONTENDED_TRANSFERS -> new ContendedTransfers(state, transferPlayers, alphas, transferConcurrency, batchSize,
                        batchesInFlight, initialWarmup);
                case HOT_CELL -> new HotCell(state, gls, hotPlayers, hotPause);
                case READS_UNDER_WRITES -> new ReadsUnderWrites(query, gameMix, worldSizes, queryRate, writeRate);
                case REPLICATION -> standby == null ? null : new Replication(gameMix, standbyStore(store));
                case FAILOVER -> standby == null ? null : new Failover(state, stateEndpoint(), standbyStore(store), mixPlayers,
                        mixConcurrency, batchSize, new Failover.Timeline(failoverTimeline.get(0), failoverTimeline.get(1),
                        failoverTimeline.get(2), failoverTimeline.get(3), failoverTimeline.get(4)));
                case CDC -> new ChangeDataCapture(queryChannel, gameMix);
                case RAMP -> new Ramp(suiteDirectory, gls, rampStart, rampStep, rampLevels, rampLevelSeconds, rampWarmupSeconds);
                case GLS_SCALING -> new GlsScaling(suiteDirectory.resolve("gls-service/target/quarkus-app/quarkus-run.jar"),
                        glsCounts, glsFirstPort, glsPlayers, glsPace, suite.tracing());
            };
            if (scenario == null) {
                System.out.printf("==> %s on %s: skipped (no --standby)%n", name, storeLabel);
                continue;
            }
            System.out.printf("==> %s on %s: %s%n", scenario.name(), storeLabel, scenario.title());
            String startedAt = Instant.now().toString();
            StoreProbe.LogPosition logBefore = probe.logPosition();
            Scenario.Outcome outcome;
            Map<String, ScenarioReport.Usage> usage;
            try (ProcessSampler sampler = new ProcessSampler(watched)) {
                outcome = scenario.run(new ScenarioContext(store, directory, scenario.name(), warmup, duration, compilers, sampler));
                usage = sampler.usage();
            }
            StoreProbe.LogPosition logAfter = name == ScenarioName.FAILOVER ? null : probe.logPosition(); // failover killed the primary
            ScenarioReport report = new ScenarioReport(ScenarioReport.SCHEMA, storeInfo, suite,
                    new ScenarioReport.Scenario(scenario.name(), scenario.title(), scenario.parameters()), startedAt,
                    outcome.results(), outcome.findings(), resources(usage, logBefore, logAfter), outcome.checks());
            Files.createDirectories(directory);
            json.writeValue(directory.resolve(scenario.name() + ".json").toFile(), report);
            for (ScenarioReport.Result r : outcome.results()) {
                System.out.printf("    %-16s %-22s %10.0f %s/s  p50 %7.2f  p99 %7.2f  p99.9 %7.2f ms  %s%n", r.variant(),
                        r.labels(), r.throughput(), r.unit(), r.latencyMs().p50(), r.latencyMs().p99(), r.latencyMs().p999(),
                        r.answersByCode());
            }
            outcome.findings().forEach((finding, value) -> System.out.printf("    %s: %.2f%n", finding, value));
            for (ScenarioReport.Check check : outcome.checks()) {
                System.out.printf("    check %s: %s (%s)%n", check.name(), check.holds() ? "holds" : "VIOLATED", check.detail());
                allHold &= check.holds();
            }
        }
        System.out.println("results written to " + directory.toAbsolutePath());
        return allHold ? 0 : 1;
    }

    private static ScenarioReport.Resources resources(Map<String, ScenarioReport.Usage> usage, StoreProbe.LogPosition before,
            StoreProbe.LogPosition after) {
        Map<String, ScenarioReport.Usage> services = new LinkedHashMap<>(usage);
        ScenarioReport.Usage server = services.remove("store");
        ScenarioReport.Usage store = new ScenarioReport.Usage(server == null ? 0 : server.cpuSeconds(),
                server == null ? 0 : server.peakRssMiB(), after == null ? null : after.logBytes() - before.logBytes(),
                after == null || after.binlogBytes() == null ? null : after.binlogBytes() - before.binlogBytes());
        return new ScenarioReport.Resources(store, services);
    }

    private BareStore standbyStore(BareStore primary) {
        int colon = standby.lastIndexOf(':');
        return new BareStore(family, standby.substring(0, colon), Integer.valueOf(standby.substring(colon + 1)), primary.database());
    }

    private static String stateEndpoint() {
        return System.getenv().getOrDefault("STATE_HOST", "127.0.0.1") + ":" + System.getenv().getOrDefault("STATE_PORT", "9101");
    }

    /** The suite's side: state-service's settings and build commit from its /q/info (at stateHttp), and this machine. */
    static ScenarioReport.Suite suite(String stateHttp) throws IOException, InterruptedException {
        String url = stateHttp + "/q/info";
        JsonNode info = new ObjectMapper().readTree(HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
        Map<String, String> settings = new LinkedHashMap<>();
        info.path("gamestate").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        String commit = info.path("git").path("commit").path("id").asText("unknown");
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("memory", firstLine("/proc/meminfo", "MemTotal:"));
        machine.put("cpu", firstLine("/proc/cpuinfo", "model name"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return new ScenarioReport.Suite(commit.length() > 12 ? commit.substring(0, 12) : commit,
                Boolean.parseBoolean(settings.getOrDefault("tracing", "false")), settings, machine);
    }

    private static String firstLine(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
