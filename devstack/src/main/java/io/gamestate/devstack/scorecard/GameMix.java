package io.gamestate.devstack.scorecard;

import io.gamestate.devstack.GameWorld;
import io.gamestate.devstack.StateLoad;
import io.gamestate.proto.state.v1.StateService;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;

/**
 * The game mix (moves, hits, heals, harvests, trades over a world with towns) as single ApplyRmw
 * calls and as tick-sized ApplyBatch calls. Reads under writes plays it too, beside its queries.
 */
public final class GameMix implements Scenario {

    private final StateService state;
    private final int players;
    private final int concurrency;
    private final int batchSize;
    private final Duration initialWarmup;
    private GameWorld world;

    public GameMix(StateService state, int players, int concurrency, int batchSize, Duration initialWarmup) {
        this.state = state;
        this.players = players;
        this.concurrency = concurrency;
        this.batchSize = batchSize;
        this.initialWarmup = initialWarmup;
    }

    @Override
    public String name() {
        return "game-mix";
    }

    @Override
    public String title() {
        return "Game mix: move, damage, heal, harvest, trade as ApplyRmw and ApplyBatch";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("players", players);
        p.put("npcs", players / 5);
        p.put("resourceNodes", players / 10);
        p.put("mix", "55% move, 15% damage, 10% heal, 15% harvest, 5% trade");
        p.put("singleInFlight", concurrency);
        p.put("batchSize", batchSize);
        p.put("batchesInFlight", batchesInFlight());
        p.put("initialWarmupSecondsPerMode", initialWarmup.toMillis() / 1000.0);
        return p;
    }

    private int batchesInFlight() {
        return Math.max(1, concurrency / batchSize);
    }

    /** The world, spawned on first use: reads under writes plays the mix on a world of its own size. */
    GameWorld world() {
        if (world == null) {
            world = GameWorld.spawn(state, new Random(42), players, players / 5, players / 10);
        }
        return world;
    }

    @Override
    public Outcome run(ScenarioContext context) throws Exception {
        JitCompilers.Warmup warmup = warm(context);
        List<ScenarioReport.Result> results = new ArrayList<>();
        for (String variant : List.of("single", "batched")) {
            WindowRecorder recorder = window(context, variant.equals("batched"));
            results.add(context.result(variant, Map.of(), "RMW-units", recorder));
        }
        return new Outcome(results, warmup.findings(), List.of());
    }

    /**
     * Each mode, unmeasured, until the JIT compilers stayed idle through both: the first scenario
     * meets a cold state-service, whose throughput climbs for tens of seconds while the JIT compiles.
     */
    JitCompilers.Warmup warm(ScenarioContext context) {
        return context.compilers().repeatUntilIdle(() -> {
            play(false, initialWarmup, Duration.ZERO);
            play(true, initialWarmup, Duration.ZERO);
        });
    }

    /** One measured window of the mix after the context's warm-up, with the CPU each process used in it. */
    WindowRecorder window(ScenarioContext context, boolean batched) throws Exception {
        return context.measuringCpu(context.warmup(), () -> play(batched, context.warmup(), context.duration()));
    }

    /** The mix, as fast as its calls in flight go, for warm-up plus measured time. */
    WindowRecorder play(boolean batched, Duration warmup, Duration measured) {
        GameWorld w = world();
        return recorded(warmup, measured, (recorder, end) -> {
            Supplier<Uni<Integer>> call = batched ? () -> RecordedCalls.batch(state, w.nextBatch(batchSize), recorder)
                    : () -> RecordedCalls.single(() -> state.applyRmw(w.nextUnit()), recorder);
            StateLoad.inFlight(batched ? batchesInFlight() : concurrency, end, warmup.plus(measured).plusMinutes(2), call);
        });
    }

    /** The mix's single calls started at a fixed rate, each timed from when it was due. */
    WindowRecorder playAtRate(double unitsPerSecond, Duration warmup, Duration measured) {
        GameWorld w = world();
        return recorded(warmup, measured, (recorder, end) -> StateLoad.atRate(unitsPerSecond, end,
                warmup.plus(measured).plusMinutes(2), due -> RecordedCalls.single(due, () -> state.applyRmw(w.nextUnit()), recorder)));
    }

    /** A window after the warm-up; retries counted inside state-service over both. */
    private static WindowRecorder recorded(Duration warmup, Duration measured, ObjLongConsumer<WindowRecorder> load) {
        long windowStart = System.nanoTime() + warmup.toNanos();
        WindowRecorder recorder = new WindowRecorder(windowStart);
        Map<String, Long> retriesBefore = StateLoad.stateMetricByLabel("gamestate_rmw_retries_total", "reason");
        load.accept(recorder, windowStart + measured.toNanos());
        recorder.addRetries(StateLoad.difference(StateLoad.stateMetricByLabel("gamestate_rmw_retries_total", "reason"), retriesBefore));
        return recorder;
    }
}
