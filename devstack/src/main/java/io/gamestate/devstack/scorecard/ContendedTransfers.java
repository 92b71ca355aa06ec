package io.gamestate.devstack.scorecard;

import io.gamestate.devstack.EnumNames;
import io.gamestate.devstack.StateLoad;
import io.gamestate.devstack.transfers.BareStore;
import io.gamestate.devstack.transfers.Pgbench;
import io.gamestate.devstack.transfers.ZipfSampler;
import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.StateService;
import io.gamestate.proto.state.v1.Trade;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;

/**
 * Contended transfers: a Trade of 1 gold between two players drawn from a Zipf distribution,
 * through state-service (one unit per ApplyRmw, and ApplyBatch calls of many units) and, in the
 * same run, the same transfer straight on the store: its plain SQL shape and a one-round-trip
 * procedure, played by pgbench on the PostgreSQL family and over JDBC on the MySQL family.
 */
public final class ContendedTransfers implements Scenario {

    private static final long START_GOLD = 1_000_000;

    /** What carries the transfers; bare-* run on the store alone. */
    enum Mode {
        BARE_SQL, BARE_PROCEDURE, SINGLE, BATCHED;

        @Override
        public String toString() {
            return EnumNames.of(this);
        }
    }

    /**
     * The modes take turns, in order and then in reverse, each measured for half of the window: a
     * machine that speeds up or slows down steadily over the run moves every mode's figure alike,
     * so the ratios between modes hold (two cores shared with the store swing by a third within
     * minutes).
     */
    private static final List<List<Mode>> MIRRORED_ROUNDS = List.of(List.of(Mode.values()), backwards(Mode.values()));

    private final StateService state;
    private final int playerCount;
    private final List<Double> alphas;
    private final int concurrency;
    private final int batchSize;
    private final int batchesInFlight;
    private final Duration initialWarmup;
    private final List<Long> players = new ArrayList<>();
    private String bareDriver = "JDBC";

    public ContendedTransfers(StateService state, int playerCount, List<Double> alphas, int concurrency, int batchSize,
            int batchesInFlight, Duration initialWarmup) {
        this.state = state;
        this.playerCount = playerCount;
        this.alphas = alphas;
        this.concurrency = concurrency;
        this.batchSize = batchSize;
        this.batchesInFlight = batchesInFlight;
        this.initialWarmup = initialWarmup;
    }

    @Override
    public String name() {
        return "contended-transfers";
    }

    @Override
    public String title() {
        return "Contended transfers: 1 gold between Zipf-drawn players, beside the bare store";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("players", playerCount);
        p.put("alphas", alphas);
        p.put("startGoldPerPlayer", START_GOLD);
        p.put("goldPerTransfer", 1);
        p.put("concurrency", concurrency);
        p.put("batchSize", batchSize);
        p.put("batchesInFlight", batchesInFlight);
        p.put("initialWarmupSecondsPerMode", initialWarmup.toMillis() / 1000.0);
        p.put("measuredRounds", MIRRORED_ROUNDS.stream().map(order -> order.stream().map(Mode::toString).toList()).toList());
        p.put("measuredPerRound", "half the window per mode, after the warm-up; the rows add both halves");
        p.put("bareDriver", bareDriver);
        p.put("bareSqlShape", "SELECT gold FROM entity WHERE id IN (?, ?) ORDER BY id FOR UPDATE; "
                + "UPDATE entity SET gold = gold - 1 WHERE id = ?; UPDATE entity SET gold = gold + 1 WHERE id = ?; COMMIT");
        p.put("bareProcedure", "scorecard_transfer(giver, taker, gold): the same statements in one call");
        return p;
    }

    @Override
    public Outcome run(ScenarioContext context) throws Exception {
        BareStore store = context.store();
        store.installProcedure();
        spawnPlayers(new Random(42));
        long goldBefore = store.totalGold(players);
        boolean pgbench = store.family() == BareStore.Family.POSTGRESQL && Pgbench.available() && consecutiveIds()
                && alphas.stream().allMatch(Pgbench::draws);
        bareDriver = pgbench ? "pgbench" : "JDBC";

        // Each mode, unmeasured, until the JIT compilers stayed idle through all of them: the first scenario meets cold JVMs.
        ZipfSampler uniform = new ZipfSampler(players.size(), 0);
        JitCompilers.Warmup warmup = context.compilers().repeatUntilIdle(() -> {
            for (Mode mode : Mode.values()) {
                try {
                    run(mode, context, pgbench, 0, uniform, initialWarmup, Duration.ZERO);
                } catch (Exception e) {
                    throw new IllegalStateException("warming up " + mode, e);
                }
            }
        });
        List<ScenarioReport.Result> results = new ArrayList<>();
        Map<String, Double> findings = new LinkedHashMap<>(warmup.findings());
        for (double alpha : alphas) {
            ZipfSampler zipf = new ZipfSampler(players.size(), alpha);
            Map<Mode, WindowRecorder> windows = new EnumMap<>(Mode.class);
            List<Map<Mode, Double>> rounds = new ArrayList<>();
            for (List<Mode> order : MIRRORED_ROUNDS) {
                Map<Mode, Double> round = new EnumMap<>(Mode.class);
                for (Mode mode : order) {
                    WindowRecorder part = measure(mode, context, pgbench, alpha, zipf,
                            context.duration().dividedBy(MIRRORED_ROUNDS.size()));
                    round.put(mode, part.operations() / part.seconds());
                    windows.merge(mode, part, WindowRecorder::append);
                }
                rounds.add(round);
            }
            Map<Mode, Double> throughput = new EnumMap<>(Mode.class);
            for (Mode mode : Mode.values()) {
                ScenarioReport.Result row = context.result(mode.toString(), Map.of("alpha", alpha), "transfers", windows.get(mode));
                results.add(row);
                throughput.put(mode, row.throughput());
                System.out.printf("alpha %.2f %-15s %8.0f transfers/s, p99 %.2f ms, answers %s%n", alpha, mode,
                        row.throughput(), row.latencyMs().p99(), row.answersByCode());
            }
            for (Mode service : List.of(Mode.SINGLE, Mode.BATCHED)) {
                for (Mode bare : List.of(Mode.BARE_SQL, Mode.BARE_PROCEDURE)) {
                    String ratio = service + "/" + bare + " alpha=" + alpha;
                    findings.put(ratio, throughput.get(service) / throughput.get(bare));
                    for (int r = 0; r < rounds.size(); r++) {
                        findings.put(ratio + " round " + (r + 1), rounds.get(r).get(service) / rounds.get(r).get(bare));
                    }
                }
            }
        }
        long goldAfter = store.totalGold(players);
        ScenarioReport.Check conserved = new ScenarioReport.Check("gold conserved", goldAfter == goldBefore,
                "SUM(gold) over the " + players.size() + " players: " + goldBefore + " before, " + goldAfter + " after");
        return new Outcome(results, findings, List.of(conserved));
    }

    private static List<Mode> backwards(Mode[] modes) {
        List<Mode> out = new ArrayList<>(List.of(modes));
        Collections.reverse(out);
        return out;
    }

    // ---- players ----------------------------------------------------------------------------

    private void spawnPlayers(Random random) {
        for (int first = 0; first < playerCount; first += 200) {
            ApplyBatchRequest.Builder batch = ApplyBatchRequest.newBuilder();
            for (int i = first; i < Math.min(playerCount, first + 200); i++) {
                Position at = Position.newBuilder().setX(random.nextDouble() * 4096).setY(random.nextDouble() * 4096).build();
                batch.addUnits(StateLoad.unit().setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER).setPosition(at)
                        .setGold(START_GOLD)));
            }
            for (RmwResult r : state.applyBatch(batch.build()).await().atMost(Duration.ofMinutes(1)).getResultsList()) {
                if (r.getCode() != 0) {
                    throw new IllegalStateException("spawning a player failed: " + r.getMessage());
                }
                players.add(r.getEntities(0).getId());
            }
        }
    }

    /** pgbench names players first id + rank - 1: the ids must follow each other in spawn (rank) order. */
    private boolean consecutiveIds() {
        for (int i = 1; i < players.size(); i++) {
            if (players.get(i) != players.get(0) + i) {
                return false;
            }
        }
        return true;
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

    /**
     * One measured window of a mode after the warm-up, with the CPU each process used in it (the
     * bare store's and the suite's windows compared on the same cores); the service's retries
     * over both are counted in.
     */
    private WindowRecorder measure(Mode mode, ScenarioContext context, boolean pgbench, double alpha, ZipfSampler zipf,
            Duration recorded) throws Exception {
        Map<String, Long> retriesBefore = StateLoad.stateMetricByLabel("gamestate_rmw_retries_total", "reason");
        WindowRecorder recorder = context.measuringCpu(context.warmup(),
                () -> run(mode, context, pgbench, alpha, zipf, context.warmup(), recorded));
        if (mode == Mode.SINGLE || mode == Mode.BATCHED) {
            // Retries happen inside state-service: its counters over the window and its warm-up.
            recorder.addRetries(StateLoad.difference(StateLoad.stateMetricByLabel("gamestate_rmw_retries_total", "reason"),
                    retriesBefore));
        }
        return recorder;
    }

    /** A mode's load for unrecorded, then recorded time. */
    private WindowRecorder run(Mode mode, ScenarioContext context, boolean pgbench, double alpha, ZipfSampler zipf,
            Duration unrecorded, Duration recorded) throws Exception {
        if (pgbench && (mode == Mode.BARE_SQL || mode == Mode.BARE_PROCEDURE)) {
            Pgbench.Shape shape = mode == Mode.BARE_SQL ? Pgbench.Shape.SQL : Pgbench.Shape.PROCEDURE;
            return new Pgbench(context.store()).run(shape, players.get(0), players.size(), alpha, concurrency, unrecorded,
                    recorded, context.directory().resolve("pgbench"));
        }
        return switch (mode) {
            case BARE_SQL -> runJdbc(context.store(), zipf, false, unrecorded, recorded);
            case BARE_PROCEDURE -> runJdbc(context.store(), zipf, true, unrecorded, recorded);
            case SINGLE -> runService(zipf, concurrency, this::applyRmw, unrecorded, recorded);
            case BATCHED -> runService(zipf, batchesInFlight, this::applyBatch, unrecorded, recorded);
        };
    }

    /** The transfer straight on the store over JDBC: one connection per worker thread. */
    private WindowRecorder runJdbc(BareStore store, ZipfSampler zipf, boolean procedure, Duration unrecorded, Duration recorded)
            throws Exception {
        long windowStart = System.nanoTime() + unrecorded.toNanos();
        long end = windowStart + recorded.toNanos();
        WindowRecorder recorder = new WindowRecorder(windowStart);
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                running.add(workers.submit(() -> {
                    try (BareStore.Transferor transferor = store.new Transferor()) {
                        while (System.nanoTime() < end) {
                            long[] p = pair(zipf);
                            long t0 = System.nanoTime();
                            BareStore.Outcome outcome = procedure ? transferor.transferByProcedure(p[0], p[1], 1)
                                    : transferor.transfer(p[0], p[1], 1);
                            recorder.call(t0, 1);
                            outcome.retries().forEach((cause, count) -> recorder.retries(t0, cause, count));
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
    private WindowRecorder runService(ZipfSampler zipf, int inFlight, BiFunction<ZipfSampler, WindowRecorder, Uni<Integer>> call,
            Duration unrecorded, Duration recorded) {
        long windowStart = System.nanoTime() + unrecorded.toNanos();
        long end = windowStart + recorded.toNanos();
        WindowRecorder recorder = new WindowRecorder(windowStart);
        StateLoad.inFlight(inFlight, end, unrecorded.plus(recorded).plusMinutes(2), () -> call.apply(zipf, recorder));
        return recorder;
    }

    private Uni<Integer> applyRmw(ZipfSampler zipf, WindowRecorder recorder) {
        RmwUnit trade = trade(pair(zipf));
        return RecordedCalls.single(() -> state.applyRmw(trade), recorder);
    }

    private Uni<Integer> applyBatch(ZipfSampler zipf, WindowRecorder recorder) {
        ApplyBatchRequest.Builder batch = ApplyBatchRequest.newBuilder();
        for (int i = 0; i < batchSize; i++) {
            batch.addUnits(trade(pair(zipf)));
        }
        return RecordedCalls.batch(state, batch.build(), recorder);
    }

    private static RmwUnit trade(long[] pair) {
        return StateLoad.unit().setTrade(Trade.newBuilder().setPlayerA(pair[0]).setPlayerB(pair[1]).setGoldAToB(1)).build();
    }
}
