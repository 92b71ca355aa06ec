package io.gamestate.devstack.scorecard;

import io.gamestate.devstack.GameWorld;
import io.gamestate.devstack.world.QueryMix;
import io.gamestate.devstack.world.WorldLoader;
import io.gamestate.proto.query.v1.QueryService;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;

/**
 * Reads under writes: box, radius, k-nearest and region-layer queries while the game mix's
 * single ApplyRmw calls run, on a world bulk-loaded to each size in turn (10,000 then 1,000,000
 * placed entities, counting those already there): how query p99 grows with the world. The world's
 * area is fixed, so a larger world is a denser one: box and disc shrink with the measured density
 * ({@link QueryMix.Shapes#denser}) so each answer holds about as many entities at every size, and
 * the growth measured is the index's, not the answer's (a 64-unit box held about 180 entities at
 * 1M against 3 at 10k). Queries and writes both start at fixed rates (an open loop, each call
 * timed from when it was due): a latency target holds at a stated load, and
 * calls as fast as they go would measure the two cores' queue instead. After each load the window
 * waits until the writes keep pace ({@link #untilWritesSettle}).
 */
public final class ReadsUnderWrites implements Scenario {

    private final QueryService query;
    private final GameMix writes;
    private final List<Integer> worldSizes;
    private final double queryRate;
    private final double writeRate;
    private final Map<Integer, Double> loadSeconds = new LinkedHashMap<>();
    private final Map<Integer, Long> placedEntities = new LinkedHashMap<>();
    private final Map<Integer, QueryMix.Shapes> shapes = new LinkedHashMap<>();

    /** A warm-up pass whose writes' p50 is at least this share of the pass before's: the p50 has stopped falling. */
    static final double STOPPED_FALLING = 0.8;

    public ReadsUnderWrites(QueryService query, GameMix writes, List<Integer> worldSizes, double queryRate, double writeRate) {
        this.query = query;
        this.writes = writes;
        this.worldSizes = worldSizes;
        this.queryRate = queryRate;
        this.writeRate = writeRate;
    }

    @Override
    public String name() {
        return "reads-under-writes";
    }

    @Override
    public String title() {
        return "Reads under writes: spatial and region-layer queries during the game mix, by world size";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("worldEntities", worldSizes);
        p.put("placedEntitiesByWorldEntities", placedEntities);
        p.put("bulkLoadSeconds", loadSeconds);
        p.put("queriesPerSecond", queryRate);
        p.put("shapesByWorldEntities", shapes);
        p.put("writes", "the game mix as single ApplyRmw calls, at the same time");
        p.put("writesPerSecond", writeRate);
        p.put("warmupAfterEachLoad", "passes of the warm-up's length until the writes' p50 stops falling (a pass's p50 at least "
                + STOPPED_FALLING + " of the pass before), at most the longest warm-up");
        return p;
    }

    @Override
    public Outcome run(ScenarioContext context) throws Exception {
        writes.world(); // the game mix's own players, spawned before the bulk load
        List<ScenarioReport.Result> results = new ArrayList<>();
        Map<String, Double> findings = new LinkedHashMap<>();
        for (int size : worldSizes) {
            QueryMix.Shapes sized = load(context, size);
            long world = placedEntities.get(size); // results are labelled with the world measured, which may exceed the size asked
            if (size == worldSizes.get(0)) {
                // query-service meets its first queries here: passes until the JIT compilers are idle.
                findings.putAll(context.compilers().repeatUntilIdle(() -> play(sized, context.warmup(), Duration.ZERO)).findings());
            }
            Settled settled = untilWritesSettle(() -> {
                double p50 = play(sized, Duration.ZERO, context.warmup()).writes().millisAt(50);
                System.out.printf("settling pass: writes p50 %.2f ms%n", p50);
                return p50;
            }, context.compilers().longest());
            findings.put("writes settled after seconds at " + world, settled.took().toMillis() / 1000.0);
            findings.put("writes p50 ms of the last settling pass at " + world, settled.lastP50());
            System.out.printf("writes settled after %.1f s (%d passes, last p50 %.2f ms)%n",
                    settled.took().toMillis() / 1000.0, settled.passes(), settled.lastP50());
            Played played = play(sized, context.warmup(), context.duration());
            Map<String, QueryMix.Reads> reads = played.reads();
            for (Map.Entry<String, QueryMix.Reads> kind : reads.entrySet()) {
                ScenarioReport.Result row = context.result(kind.getKey(), Map.of("worldEntities", world), "queries",
                        kind.getValue().window());
                results.add(row);
                findings.put(kind.getKey() + " p99 ms at " + world, row.latencyMs().p99());
                findings.put(kind.getKey() + " entities per answer at " + world, kind.getValue().entitiesPerAnswer());
            }
            ScenarioReport.Result written = context.result("writes", Map.of("worldEntities", world), "RMW-units", played.writes());
            results.add(written);
            findings.put("writes p99 ms at " + world, written.latencyMs().p99());
        }
        return new Outcome(results, findings, List.of());
    }

    /** How the writes settled after a load: passes run, their time, and the last pass's p50. */
    record Settled(int passes, Duration took, double lastP50) {
    }

    /**
     * Passes of load until the writes' p50 stops falling, or for at most {@code longest}. After a
     * bulk load the store can lag behind the writes for a while (likely its first touches of the
     * loaded pages): once, on PostgreSQL, the 1M window opened with a 1.5 s backlog of writes that
     * the fixed 5 s warm-up had left. A pass that measures nothing (NaN) ends the wait too: more
     * passes would not tell more.
     */
    static Settled untilWritesSettle(DoubleSupplier passP50, Duration longest) {
        long start = System.nanoTime();
        double previous = Double.POSITIVE_INFINITY;
        for (int passes = 1; ; passes++) {
            double p50 = passP50.getAsDouble();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (Double.isNaN(p50) || p50 >= STOPPED_FALLING * previous || took.compareTo(longest) >= 0) {
                return new Settled(passes, took, p50);
            }
            previous = p50;
        }
    }

    private record Played(Map<String, QueryMix.Reads> reads, WindowRecorder writes) {
    }

    /**
     * Tops the world up to {@code size} placed entities, counting those the scenarios before this
     * one spawned (the contended transfers' 20,000 players, the game mix's), and returns the reads'
     * shapes for it: the default ones at the first size, shrunk with the density measured after it.
     */
    private QueryMix.Shapes load(ScenarioContext context, int size) throws Exception {
        try (Connection connection = context.store().connect()) {
            long missing = Math.max(0, size - WorldLoader.placed(connection));
            if (missing > 0) {
                WorldLoader.Loaded load = new WorldLoader(connection).load((int) missing, 1000 + size);
                loadSeconds.put(size, load.took().toMillis() / 1000.0);
            }
            placedEntities.put(size, WorldLoader.placed(connection));
            System.out.printf("world of %,d placed entities (%,d of them bulk-loaded now, in %.1f s)%n", placedEntities.get(size),
                    missing, loadSeconds.getOrDefault(size, 0.0));
        }
        double density = (double) placedEntities.get(size) / placedEntities.get(worldSizes.get(0));
        shapes.put(size, QueryMix.Shapes.DEFAULT.denser(density));
        return shapes.get(size);
    }

    /** Queries and writes at their rates, side by side, for warm-up plus measured time. */
    private Played play(QueryMix.Shapes shapes, Duration warmup, Duration measured) {
        CompletableFuture<WindowRecorder> mix = CompletableFuture.supplyAsync(() -> writes.playAtRate(writeRate, warmup, measured));
        Map<String, QueryMix.Reads> reads = new QueryMix(query, GameWorld.SIZE, GameWorld.SIZE, shapes)
                .run(queryRate, warmup, measured);
        return new Played(reads, mix.join());
    }
}
