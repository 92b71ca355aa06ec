package io.gamestate.devstack.scorecard;

import io.gamestate.devstack.GameWorld;
import io.gamestate.devstack.Sleeps;
import io.gamestate.devstack.StateLoad;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.StateService;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hot cell: a crowd of players within a few units of one resource node, each moving and
 * harvesting it in turn through the GLS (Gatling's HotCellSimulation's workload), so every harvest
 * locks the same node, its cell, counters and aggregates. Checked after: the node lost exactly what
 * the answered harvests say they took.
 */
public final class HotCell implements Scenario {

    /** Away from the game mix's towns: the crowd is the only one here. */
    private static final double HOT_X = 3500.5;
    private static final double HOT_Y = 600.5;
    /** Players join at most this far from the node, well within the action range (8). */
    private static final double SPREAD = 3;
    private static final long NODE_AMOUNT = 1_000_000_000L;

    private final StateService state;
    private final String gls;
    private final int playerCount;
    private final Duration pause;

    public HotCell(StateService state, String gls, int playerCount, Duration pause) {
        this.state = state;
        this.gls = gls;
        this.playerCount = playerCount;
        this.pause = pause;
    }

    @Override
    public String name() {
        return "hot-cell";
    }

    @Override
    public String title() {
        return "Hot cell: a crowd moving and harvesting one resource node through the GLS";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("players", playerCount);
        p.put("spread", SPREAD);
        p.put("pauseMsBetweenActions", pause.toMillis());
        p.put("gls", gls);
        p.put("turn", "pause, move near home, pause, harvest the node");
        return p;
    }

    @Override
    public Outcome run(ScenarioContext context) throws Exception {
        long node = state.applyRmw(StateLoad.unit().setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_RESOURCE_NODE)
                .setPosition(GameWorld.position(HOT_X, HOT_Y)).setItemType("ore").setAmount(NODE_AMOUNT)).build())
                .await().atMost(Duration.ofSeconds(30)).getEntities(0).getId();
        GlsPlayers client = new GlsPlayers();
        Random random = new Random(7);
        List<GlsPlayers.Player> players = new ArrayList<>();
        for (int i = 0; i < playerCount; i++) {
            players.add(client.join(gls, HOT_X + (random.nextDouble() * 2 - 1) * SPREAD, HOT_Y + (random.nextDouble() * 2 - 1) * SPREAD));
        }

        // The window opens once the JIT compilers are idle: at a few hundred requests a second that takes a minute here.
        WindowRecorder moves = new WindowRecorder();
        WindowRecorder harvests = new WindowRecorder();
        AtomicLong windowEnd = new AtomicLong(Long.MAX_VALUE);
        CompletableFuture<JitCompilers.Warmup> warmed = CompletableFuture.supplyAsync(() -> {
            try {
                return context.compilers().repeatUntilIdle(() -> Sleeps.sleep(context.warmup()));
            } finally {
                long windowStart = System.nanoTime();
                moves.open(windowStart);
                harvests.open(windowStart);
                windowEnd.set(windowStart + context.duration().toNanos());
            }
        }, task -> new Thread(task, "hot-cell-warmup").start());
        AtomicLong harvested = new AtomicLong();
        String harvest = "{\"type\":\"harvest\",\"targetId\":" + node + "}";
        GlsPlayers.play(players, pause.multipliedBy(2), () -> System.nanoTime() < windowEnd.get(),
                context.compilers().longest().plus(context.duration()).plusMinutes(2), player ->
                Uni.createFrom().voidItem().onItem().delayIt().by(pause)
                        .chain(() -> client.act(player, GlsPlayers.moveNearHome(player), moves, answer -> { }))
                        .onItem().delayIt().by(pause)
                        .chain(() -> client.act(player, harvest, harvests, answer -> harvested.addAndGet(answer.path("harvested").asLong()))));
        client.leave(players);

        long lost = NODE_AMOUNT - state.getEntity(GetEntityRequest.newBuilder().setEntityId(node).build())
                .await().atMost(Duration.ofSeconds(30)).getAmount();
        // Harvests that failed with no answer in the warm-up are not counted anywhere: only an all-answered run is exact.
        long unanswered = harvests.errorsByCode().entrySet().stream().filter(e -> !e.getKey().startsWith("HTTP_4"))
                .mapToLong(Map.Entry::getValue).sum();
        ScenarioReport.Check conserved = new ScenarioReport.Check("harvests conserved", unanswered == 0 ? lost == harvested.get()
                : lost >= harvested.get(), "the node lost " + lost + ", the answered harvests took " + harvested.get()
                + (unanswered == 0 ? "" : " (" + unanswered + " harvests failed without an answer)"));
        return new Outcome(List.of(context.result("harvest", Map.of(), "requests", harvests),
                context.result("move", Map.of(), "requests", moves)), warmed.join().findings(), List.of(conserved));
    }
}
