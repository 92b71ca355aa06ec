package io.gamestate.devstack.faults;

import io.gamestate.devstack.GameWorld;
import io.gamestate.devstack.StateLoad;
import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.StateService;
import io.gamestate.proto.state.v1.Trade;
import io.gamestate.proto.state.v1.TransferItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The load a fault scenario runs under: the scorecard's game mix ({@link GameWorld}) beside
 * contended trades (1 gold between two of a few hot players) and contended item moves (an item
 * of the hot players' re-parented to another of them): half game mix, a quarter each of the
 * others, as single ApplyRmw calls and, one worker in four, ApplyBatch calls of the mix.
 */
public final class FaultLoad {

    private final GameWorld world;
    private final List<Long> hotPlayers = new ArrayList<>();
    private final List<Long> hotItems = new ArrayList<>();

    private FaultLoad(GameWorld world) {
        this.world = world;
    }

    /** The world (players, a fifth as many NPCs, a tenth as many nodes), then the hot players with their items. */
    public static FaultLoad spawn(StateService state, int players, int hotPlayers, int itemsPerHotPlayer) {
        Random random = new Random(42);
        FaultLoad load = new FaultLoad(GameWorld.spawn(state, random, players, Math.max(1, players / 5), Math.max(1, players / 10)));
        ApplyBatchRequest.Builder spawns = ApplyBatchRequest.newBuilder();
        for (int i = 0; i < hotPlayers; i++) {
            double[] p = GameWorld.spawnPoint(random);
            spawns.addUnits(StateLoad.unit().setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER)
                    .setPosition(GameWorld.position(p[0], p[1])).setGold(1_000_000)));
        }
        for (RmwResult r : apply(state, spawns.build())) {
            load.hotPlayers.add(r.getEntities(0).getId());
        }
        ApplyBatchRequest.Builder items = ApplyBatchRequest.newBuilder();
        for (long player : load.hotPlayers) {
            for (int i = 0; i < itemsPerHotPlayer; i++) {
                items.addUnits(StateLoad.unit().setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_ITEM).setParentId(player)
                        .setItemType("gem").setAmount(10)));
            }
        }
        for (RmwResult r : apply(state, items.build())) {
            load.hotItems.add(r.getEntities(0).getId());
        }
        return load;
    }

    private static List<RmwResult> apply(StateService state, ApplyBatchRequest batch) {
        List<RmwResult> results = state.applyBatch(batch).await().atMost(Duration.ofMinutes(1)).getResultsList();
        for (RmwResult r : results) {
            if (r.getCode() != 0) {
                throw new IllegalStateException("setup unit failed: " + r.getMessage());
            }
        }
        return results;
    }

    /** The next unit: half the game mix, a quarter contended trades, a quarter contended item moves. */
    public RmwUnit nextUnit() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int roll = random.nextInt(4);
        if (roll < 2) {
            return world.nextUnit();
        }
        if (roll == 2) {
            return nextTrade();
        }
        long to = hotPlayers.get(random.nextInt(hotPlayers.size()));
        return StateLoad.unit().setTransferItem(TransferItem.newBuilder()
                .setItemId(hotItems.get(random.nextInt(hotItems.size()))).setToParentId(to)).build();
    }

    /** 1 gold between two different hot players. */
    public RmwUnit nextTrade() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(hotPlayers.size());
        int b = (a + 1 + random.nextInt(hotPlayers.size() - 1)) % hotPlayers.size();
        return StateLoad.unit().setTrade(Trade.newBuilder().setPlayerA(hotPlayers.get(a)).setPlayerB(hotPlayers.get(b)).setGoldAToB(1))
                .build();
    }

    /** Runs the load through the client, inFlight calls at a time, until endNanos ({@link System#nanoTime}). */
    public void run(RecordingClient client, int inFlight, int batchSize, long endNanos) {
        run(client, inFlight, batchSize, () -> System.nanoTime() < endNanos);
    }

    /** Runs the load through the client, inFlight calls at a time, while going (at most a day). */
    public void run(RecordingClient client, int inFlight, int batchSize, BooleanSupplier going) {
        AtomicInteger calls = new AtomicInteger();
        StateLoad.inFlight(inFlight, going, Duration.ofDays(1),
                () -> calls.incrementAndGet() % 4 == 0 ? client.applyBatch(world.nextBatch(batchSize)) : client.applyRmw(nextUnit()));
    }
}
