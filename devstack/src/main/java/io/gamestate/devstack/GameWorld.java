package io.gamestate.devstack;

import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.Damage;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Harvest;
import io.gamestate.proto.state.v1.Heal;
import io.gamestate.proto.state.v1.Move;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.StateService;
import io.gamestate.proto.state.v1.Trade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A GLS-like world spawned through state-service (players with a bag, NPCs, resource nodes; 30 %
 * of them crowded around four towns) and the game mix played on it: mostly moves of a few units,
 * then combat, harvesting and some trade. The benchmark and the scorecard's game mix share it.
 */
public final class GameWorld {

    public static final double SIZE = 4096;
    private static final double[][] TOWNS = {{1024, 1024}, {3072, 1024}, {2048, 2048}, {1024, 3072}};

    private final StateService state;
    private final List<Long> players = new ArrayList<>();
    private final List<double[]> positions = new ArrayList<>();
    private final List<Long> npcs = new ArrayList<>();
    private final List<Long> nodes = new ArrayList<>();
    private final List<double[]> nodePositions = new ArrayList<>();

    private GameWorld(StateService state) {
        this.state = state;
    }

    /** Spawns the world through state-service, 200 units per ApplyBatch call. */
    public static GameWorld spawn(StateService state, Random random, int playerCount, int npcCount, int nodeCount) {
        GameWorld world = new GameWorld(state);
        world.populate(random, playerCount, npcCount, nodeCount);
        return world;
    }

    private void populate(Random random, int playerCount, int npcCount, int nodeCount) {
        List<RmwUnit> spawns = new ArrayList<>();
        for (int i = 0; i < playerCount; i++) {
            double[] p = spawnPoint(random);
            positions.add(p);
            spawns.add(spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER).setPosition(position(p[0], p[1]))
                    .setGold(1_000_000)));
        }
        List<RmwResult> created = applyAll(spawns);
        List<RmwUnit> bags = new ArrayList<>();
        for (RmwResult r : created) {
            players.add(r.getEntities(0).getId());
            bags.add(spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_CONTAINER).setParentId(r.getEntities(0).getId())));
        }
        applyAll(bags);
        List<RmwUnit> world = new ArrayList<>();
        for (int i = 0; i < npcCount; i++) {
            double[] p = spawnPoint(random);
            world.add(spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_NPC).setPosition(position(p[0], p[1])).setHp(1_000_000_000)));
        }
        for (int i = 0; i < nodeCount; i++) {
            double[] p = spawnPoint(random);
            world.add(spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_RESOURCE_NODE).setPosition(position(p[0], p[1]))
                    .setItemType(i % 2 == 0 ? "ore" : "wood").setAmount(1_000_000_000L)));
        }
        for (RmwResult r : applyAll(world)) {
            Entity e = r.getEntities(0);
            if (e.getKind() == EntityKind.ENTITY_KIND_NPC) {
                npcs.add(e.getId());
            } else {
                nodes.add(e.getId());
                nodePositions.add(new double[] {e.getPosition().getX(), e.getPosition().getY()});
            }
        }
        System.out.printf("world populated: %d players with a bag, %d npcs, %d resource nodes%n",
                players.size(), npcs.size(), nodes.size());
    }

    /** Uniform over the world, or (30 %) crowded around a town. */
    public static double[] spawnPoint(Random random) {
        if (random.nextDouble() < 0.3) {
            double[] town = TOWNS[random.nextInt(TOWNS.length)];
            return new double[] {clamp(town[0] + random.nextGaussian() * 40), clamp(town[1] + random.nextGaussian() * 40)};
        }
        return new double[] {random.nextDouble() * SIZE, random.nextDouble() * SIZE};
    }

    private List<RmwResult> applyAll(List<RmwUnit> units) {
        List<RmwResult> out = new ArrayList<>();
        for (int i = 0; i < units.size(); i += 200) {
            List<RmwUnit> chunk = units.subList(i, Math.min(units.size(), i + 200));
            List<RmwResult> results = state.applyBatch(ApplyBatchRequest.newBuilder().addAllUnits(chunk).build())
                    .await().atMost(Duration.ofMinutes(1)).getResultsList();
            for (RmwResult r : results) {
                if (r.getCode() != 0) {
                    throw new IllegalStateException("setup unit failed: " + r.getMessage());
                }
            }
            out.addAll(results);
        }
        return out;
    }

    /** The next unit of the game mix, for a random player. */
    public RmwUnit nextUnit() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = random.nextInt(players.size());
        long player = players.get(i);
        int roll = random.nextInt(100);
        if (roll < 55) {
            double[] p = positions.get(i);
            double x = clamp(p[0] + random.nextDouble(-3, 3));
            double y = clamp(p[1] + random.nextDouble(-3, 3));
            positions.set(i, new double[] {x, y}); // racing workers may lose a step: any recent spot is plausible
            return StateLoad.unit().setMove(Move.newBuilder().setEntityId(player).setTo(position(x, y))).build();
        }
        if (roll < 70) {
            return StateLoad.unit().setDamage(Damage.newBuilder().setAttackerId(player)
                    .setTargetId(npcs.get(random.nextInt(npcs.size()))).setAmount(1 + random.nextInt(20))).build();
        }
        if (roll < 80) {
            return StateLoad.unit().setHeal(Heal.newBuilder().setHealerId(player)
                    .setTargetId(npcs.get(random.nextInt(npcs.size()))).setAmount(1 + random.nextInt(20))).build();
        }
        if (roll < 95) {
            return StateLoad.unit().setHarvest(Harvest.newBuilder().setPlayerId(player)
                    .setNodeId(nodes.get(random.nextInt(nodes.size()))).setAmount(1 + random.nextInt(3))).build();
        }
        long other = players.get(random.nextInt(players.size()));
        if (other == player) {
            return nextUnit();
        }
        return StateLoad.unit().setTrade(Trade.newBuilder().setPlayerA(player).setPlayerB(other)
                .setGoldAToB(random.nextInt(10)).setGoldBToA(random.nextInt(10))).build();
    }

    /** A batch of the game mix. */
    public ApplyBatchRequest nextBatch(int size) {
        ApplyBatchRequest.Builder batch = ApplyBatchRequest.newBuilder();
        for (int i = 0; i < size; i++) {
            batch.addUnits(nextUnit());
        }
        return batch.build();
    }

    /** The centres of the towns, where 30 % of everything spawns and the mix is densest. */
    public static List<double[]> towns() {
        return List.of(TOWNS);
    }

    /** Where a random player was last sent. */
    public double[] randomPlayerPosition() {
        return positions.get(ThreadLocalRandom.current().nextInt(positions.size()));
    }

    public List<Long> nodes() {
        return nodes;
    }

    public List<double[]> nodePositions() {
        return nodePositions;
    }

    public static Position position(double x, double y) {
        return Position.newBuilder().setX(x).setY(y).build();
    }

    private static RmwUnit spawn(Spawn.Builder spawn) {
        return StateLoad.unit().setSpawn(spawn).build();
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(SIZE - 0.001, v));
    }
}
