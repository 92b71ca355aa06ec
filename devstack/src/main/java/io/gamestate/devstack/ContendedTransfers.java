package io.gamestate.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gamestate.devstack.transfers.BareStore;
import io.gamestate.devstack.transfers.ModeRecorder;
import io.gamestate.devstack.transfers.ZipfSampler;
import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.StateService;
import io.gamestate.proto.state.v1.Trade;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code transfers}: the contended-transfers scenario of the PoC scorecard. A Trade of 1 gold
 * between two players drawn from a Zipf distribution, through state-service (one unit per
 * ApplyRmw, and ApplyBatch calls of many units) and, in the same run, the same transfer straight
 * on the store over JDBC, so the report gives the suite's ratio to the bare store.
 */
@Command(name = "transfers", showDefaultValues = true,
        description = "Contended 1-gold transfers between Zipf-drawn players: the bare store over JDBC, then state-service; "
                + "prints the ratio and writes params.json, summary.json and results.csv.")
public class ContendedTransfers implements Callable<Integer> {

    private static final double WORLD = 4096;
    private static final long START_GOLD = 1_000_000;
    private static final String ISOLATION = "READ COMMITTED";

    @GrpcClient("state")
    StateService state;

    @Option(names = "--players", paramLabel = "<n>", defaultValue = "20000", description = "Players spawned, each with 1,000,000 gold.")
    int playerCount;

    @Option(names = "--alpha", paramLabel = "<a>", defaultValue = "0,1.5", split = ",",
            description = "Zipf exponents the pairs are drawn with, in order; 0 is uniform.")
    List<Double> alphas;

    @Option(names = "--modes", paramLabel = "<mode>", defaultValue = "bare,single,batched", split = ",",
            converter = ModeName.class,
            description = "Modes in order, per alpha: bare (JDBC), single (ApplyRmw), batched (ApplyBatch).")
    List<Mode> modes;

    @Option(names = "--duration", defaultValue = "15s", converter = Durations.class, description = "Measured length of each mode.")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = Durations.class, description = "Unmeasured load before each mode.")
    Duration warmup;

    @Option(names = "--initial-warmup", defaultValue = "10s", converter = Durations.class,
            description = "Unmeasured load of each mode, uniform pairs, once before the first alpha: "
                    + "a cold state-service (JIT, a store that has just taken the players) needs longer than --warmup.")
    Duration initialWarmup;

    @Option(names = "--concurrency", paramLabel = "<n>", defaultValue = "32",
            description = "Transfers in flight in bare (one JDBC connection each) and single mode.")
    int concurrency;

    @Option(names = "--batch-size", paramLabel = "<n>", defaultValue = "16", description = "Trade units per ApplyBatch call.")
    int batchSize;

    @Option(names = "--batches-in-flight", paramLabel = "<n>", defaultValue = "2", description = "ApplyBatch calls in flight.")
    int batchesInFlight;

    @Option(names = "--family", paramLabel = "<family>", defaultValue = "postgresql", converter = FamilyName.class,
            description = "Store family of the bare driver: postgresql or mysql (MariaDB), as the services' build profile.")
    BareStore.Family family;

    @Option(names = "--store-label", paramLabel = "<label>", description = "Names the store in --out; default: the family.")
    String storeLabel;

    @Option(names = "--out", paramLabel = "<dir>",
            description = "Directory each run writes its own subdirectory to; default: target/scorecard/<store-label>/transfers.")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the players' positions.")
    long seed;

    /** A mode's measured window, for the table and the files. */
    record Measured(double alpha, Mode mode, ModeRecorder recorder) {
        double throughput() {
            return recorder.transfers() / recorder.seconds();
        }

        double goodput() {
            return (recorder.transfers() - recorder.errors()) / recorder.seconds();
        }
    }

    /** bare: JDBC straight on the store; single: one Trade unit per ApplyRmw; batched: ApplyBatch calls of many units. */
    enum Mode {
        BARE, SINGLE, BATCHED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Modes and families by their command-line names (their toString); picocli's own conversion knows only Java names. */
    static final class ModeName implements ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            return StateLoad.byName(Mode.values(), value, "mode");
        }
    }

    static final class FamilyName implements ITypeConverter<BareStore.Family> {
        @Override
        public BareStore.Family convert(String value) {
            return StateLoad.byName(BareStore.Family.values(), value, "store family");
        }
    }


    private final List<Long> players = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        BareStore store = new BareStore(family, env.getOrDefault("GAMESTATE_DB_HOST", "127.0.0.1"),
                env.containsKey("GAMESTATE_DB_PORT") ? Integer.valueOf(env.get("GAMESTATE_DB_PORT")) : null,
                env.getOrDefault("GAMESTATE_DB_NAME", "gamestate"));
        String version = store.version();
        String label = storeLabel != null ? storeLabel : family.label;
        Path runDirectory = (out != null ? out : Path.of("target", "scorecard", label, "transfers"))
                .resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));

        spawnPlayers(new Random(seed));
        long goldBefore = store.totalGold(players);
        System.out.printf("%d players spawned, %d gold in all; store: %s (%s)%n", players.size(), goldBefore, version, store.url());

        ZipfSampler uniform = new ZipfSampler(players.size(), 0);
        for (Mode mode : modes) {
            run(mode, store, uniform, initialWarmup, Duration.ZERO);
        }
        List<Measured> results = new ArrayList<>();
        for (double alpha : alphas) {
            ZipfSampler zipf = new ZipfSampler(players.size(), alpha);
            for (Mode mode : modes) {
                long retriesBefore = StateLoad.stateMetric("gamestate_rmw_retries_total");
                ModeRecorder recorder = run(mode, store, zipf, warmup, duration);
                if (mode != Mode.BARE) {
                    // Retries happen inside state-service; its counter over the window and its warm-up.
                    recorder.addRetries(StateLoad.stateMetric("gamestate_rmw_retries_total") - retriesBefore);
                }
                Measured m = new Measured(alpha, mode, recorder);
                results.add(m);
                System.out.printf("alpha %.2f %-8s %10.0f transfers/s, p99 %.2f ms, %d errors, %d retries%n",
                        alpha, mode, m.throughput(), recorder.millisAt(99), recorder.errors(), recorder.retries());
            }
        }

        long goldAfter = store.totalGold(players);
        boolean conserved = goldAfter == goldBefore;
        printTable(results);
        System.out.printf("conservation: SUM(gold) over the %d players %d before, %d after: %s%n",
                players.size(), goldBefore, goldAfter, conserved ? "holds" : "VIOLATED");
        writeFiles(runDirectory, store, version, label, results, goldBefore, goldAfter);
        System.out.println("results written to " + runDirectory.toAbsolutePath());
        return conserved ? 0 : 1;
    }

    // ---- players ----------------------------------------------------------------------------

    private void spawnPlayers(Random random) {
        for (int first = 0; first < playerCount; first += 200) {
            ApplyBatchRequest.Builder batch = ApplyBatchRequest.newBuilder();
            for (int i = first; i < Math.min(playerCount, first + 200); i++) {
                Position at = Position.newBuilder().setX(random.nextDouble() * WORLD).setY(random.nextDouble() * WORLD).build();
                batch.addUnits(StateLoad.unit().setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER).setPosition(at).setGold(START_GOLD)));
            }
            for (RmwResult r : state.applyBatch(batch.build()).await().atMost(Duration.ofMinutes(1)).getResultsList()) {
                if (r.getCode() != 0) {
                    throw new IllegalStateException("spawning a player failed: " + r.getMessage());
                }
                players.add(r.getEntities(0).getId());
            }
        }
    }

    /** Two different players, each drawn from the Zipf distribution (the most frequent rank is the first spawned). */
    private long[] pair(ZipfSampler zipf) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = zipf.next(random);
        int b;
        do {
            b = zipf.next(random);
        } while (b == a);
        return new long[] {players.get(a), players.get(b)};
    }

    // ---- modes ------------------------------------------------------------------------------

    /** A mode's load for unrecorded, then recorded time. */
    private ModeRecorder run(Mode mode, BareStore store, ZipfSampler zipf, Duration unrecorded, Duration recorded) throws Exception {
        return switch (mode) {
            case BARE -> runBare(store, zipf, unrecorded, recorded);
            case SINGLE -> runService(zipf, concurrency, this::applyRmw, unrecorded, recorded);
            case BATCHED -> runService(zipf, batchesInFlight, this::applyBatch, unrecorded, recorded);
        };
    }

    /** The transfer straight on the store: one JDBC connection per worker thread. */
    private ModeRecorder runBare(BareStore store, ZipfSampler zipf, Duration unrecorded, Duration recorded) throws Exception {
        long windowStart = System.nanoTime() + unrecorded.toNanos();
        long end = windowStart + recorded.toNanos();
        ModeRecorder recorder = new ModeRecorder(windowStart);
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                running.add(workers.submit(() -> {
                    try (BareStore.Transferor transferor = store.new Transferor()) {
                        while (System.nanoTime() < end) {
                            long[] p = pair(zipf);
                            long t0 = System.nanoTime();
                            BareStore.Outcome outcome = transferor.transfer(p[0], p[1], 1);
                            recorder.call(t0, 1);
                            recorder.retries(t0, outcome.retries());
                            if (outcome.errorCode() != null) {
                                recorder.error(t0, outcome.errorCode());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> worker : running) {
                worker.get();
            }
        } finally {
            workers.shutdownNow();
        }
        return recorder;
    }

    /** Calls into state-service, inFlight at a time; each call records itself with the transfers it carried. */
    private ModeRecorder runService(ZipfSampler zipf, int inFlight, BiFunction<ZipfSampler, ModeRecorder, Uni<Integer>> call,
            Duration unrecorded, Duration recorded) {
        long windowStart = System.nanoTime() + unrecorded.toNanos();
        long end = windowStart + recorded.toNanos();
        ModeRecorder recorder = new ModeRecorder(windowStart);
        StateLoad.inFlight(inFlight, end, unrecorded.plus(recorded).plusMinutes(2), () -> call.apply(zipf, recorder));
        return recorder;
    }

    private Uni<Integer> applyRmw(ZipfSampler zipf, ModeRecorder recorder) {
        RmwUnit trade = trade(pair(zipf));
        long t0 = System.nanoTime();
        return state.applyRmw(trade).onItemOrFailure().invoke((result, failure) -> {
            recorder.call(t0, 1);
            if (failure != null) { // rule violations and aborts come back as gRPC status codes
                recorder.error(t0, Status.fromThrowable(failure).getCode().name());
            }
        }).map(result -> 1).onFailure().recoverWithItem(1);
    }

    private Uni<Integer> applyBatch(ZipfSampler zipf, ModeRecorder recorder) {
        ApplyBatchRequest.Builder batch = ApplyBatchRequest.newBuilder();
        for (int i = 0; i < batchSize; i++) {
            batch.addUnits(trade(pair(zipf)));
        }
        long t0 = System.nanoTime();
        return state.applyBatch(batch.build()).onItemOrFailure().invoke((response, failure) -> {
            recorder.call(t0, batchSize);
            if (failure != null) {
                String code = Status.fromThrowable(failure).getCode().name();
                for (int i = 0; i < batchSize; i++) {
                    recorder.error(t0, code);
                }
                return;
            }
            for (RmwResult unit : response.getResultsList()) {
                if (unit.getCode() != 0) {
                    recorder.error(t0, Status.fromCodeValue(unit.getCode()).getCode().name());
                }
            }
        }).map(response -> batchSize).onFailure().recoverWithItem(batchSize);
    }

    private static RmwUnit trade(long[] pair) {
        return StateLoad.unit().setTrade(Trade.newBuilder().setPlayerA(pair[0]).setPlayerB(pair[1]).setGoldAToB(1)).build();
    }

    // ---- report -----------------------------------------------------------------------------

    /** The bare store's throughput at the same alpha, or NaN when bare did not run. */
    private static double bareThroughput(List<Measured> results, double alpha) {
        return results.stream().filter(m -> m.alpha() == alpha && m.mode() == Mode.BARE).mapToDouble(Measured::throughput)
                .findFirst().orElse(Double.NaN);
    }

    private static void printTable(List<Measured> results) {
        System.out.printf("%6s %-8s %12s %8s %8s %8s %8s %8s %8s %9s %8s%n", "alpha", "mode", "transfers/s",
                "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "retries", "vs bare");
        for (Measured m : results) {
            ModeRecorder r = m.recorder();
            System.out.printf("%6.2f %-8s %12.0f %8.2f %8.2f %8.2f %8.2f %8.2f %8d %9d %8.2f%n", m.alpha(), m.mode(),
                    m.throughput(), r.millisAt(50), r.millisAt(95), r.millisAt(99), r.millisAt(99.9),
                    r.latencies().getMaxValue() / 1e6, r.errors(), r.retries(), m.throughput() / bareThroughput(results, m.alpha()));
        }
    }

    private void writeFiles(Path directory, BareStore store, String version, String label, List<Measured> results,
            long goldBefore, long goldAfter) throws Exception {
        Files.createDirectories(directory);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("scenario", "contended-transfers");
        params.put("players", playerCount);
        params.put("startGoldPerPlayer", START_GOLD);
        params.put("goldPerTransfer", 1);
        params.put("alphas", alphas);
        params.put("modes", modes.stream().map(Mode::toString).toList());
        params.put("initialWarmupSecondsPerMode", initialWarmup.toMillis() / 1000.0);
        params.put("warmupSeconds", warmup.toMillis() / 1000.0);
        params.put("durationSeconds", duration.toMillis() / 1000.0);
        params.put("concurrency", concurrency);
        params.put("batchSize", batchSize);
        params.put("batchesInFlight", batchesInFlight);
        params.put("seed", seed);
        params.put("storeFamily", family.toString());
        params.put("storeLabel", label);
        params.put("storeVersion", version);
        params.put("storeUrl", store.url());
        params.put("isolation", ISOLATION);
        params.put("stateService", System.getenv().getOrDefault("STATE_HOST", "127.0.0.1") + ":"
                + System.getenv().getOrDefault("STATE_PORT", "9101"));
        params.put("bareShape", "SELECT gold FROM entity WHERE id IN (?, ?) ORDER BY id FOR UPDATE; "
                + "UPDATE entity SET gold = gold - 1 WHERE id = ?; UPDATE entity SET gold = gold + 1 WHERE id = ?; COMMIT");
        json.writeValue(directory.resolve("params.json").toFile(), params);

        List<Map<String, Object>> modesOut = new ArrayList<>();
        for (Measured m : results) {
            ModeRecorder r = m.recorder();
            Map<String, Object> latency = new LinkedHashMap<>();
            for (double p : new double[] {50, 95, 99, 99.9}) {
                latency.put("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)), r.millisAt(p));
            }
            latency.put("max", r.latencies().getMaxValue() / 1e6);
            latency.put("mean", r.latencies().getMean() / 1e6);
            Map<String, Object> mode = new LinkedHashMap<>();
            mode.put("alpha", m.alpha());
            mode.put("mode", m.mode().toString());
            mode.put("seconds", r.seconds());
            mode.put("calls", r.latencies().getTotalCount());
            mode.put("transfers", r.transfers());
            mode.put("throughput", m.throughput());
            mode.put("goodput", m.goodput());
            mode.put("ratioToBare", m.throughput() / bareThroughput(results, m.alpha()));
            mode.put("latencyMsPerCall", latency);
            mode.put("errors", r.errors());
            mode.put("errorsByCode", r.errorsByCode());
            mode.put("retries", r.retries());
            modesOut.add(mode);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("results", modesOut);
        summary.put("conservation", Map.of("goldBefore", goldBefore, "goldAfter", goldAfter, "holds", goldBefore == goldAfter));
        json.writeValue(directory.resolve("summary.json").toFile(), summary);

        List<String> csv = new ArrayList<>();
        csv.add("alpha,mode,second,transfers_per_s,p50_ms,p99_ms,errors");
        for (Measured m : results) {
            m.recorder().perSecond().forEach((second, s) -> csv.add(String.format(Locale.ROOT, "%s,%s,%d,%d,%.3f,%.3f,%d",
                    m.alpha(), m.mode(), second, s.transfers().sum(), s.latencies().getValueAtPercentile(50) / 1e6,
                    s.latencies().getValueAtPercentile(99) / 1e6, s.errors().sum())));
        }
        Files.write(directory.resolve("results.csv"), csv);
    }

}
