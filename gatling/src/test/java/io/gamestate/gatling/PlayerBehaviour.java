package io.gamestate.gatling;

import io.gatling.javaapi.core.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a WebSocket player plays, over its Gatling session: it wanders, or walks towards a target it
 * picked from its last look (a resource node to harvest, a creature to attack, a player to offer a
 * trade), and acts once the target is within reach; it accepts the offers other players make it.
 * Targets come only from what the GLS showed.
 * Session keys: {@code x}, {@code y} (the last position the GLS accepted), {@code nextX}, {@code nextY}
 * (the move under way), {@code intent}, {@code targetId}, {@code targetX}, {@code targetY}.
 */
final class PlayerBehaviour {

    /** Largest wandering step per axis; with the pause between moves, about 10 units/s, under the GLS's 12. */
    static final double WANDER_STEP = 3;
    /** Largest step towards a target, the same speed as wandering. */
    static final double APPROACH_STEP = 4;
    /** Acts from this close: under the GLS's action range (8), so a target that drifts a little is still in reach. */
    static final double REACH = 6;
    /** Walks up to this distance of the target, not onto it. */
    static final double STANDOFF = 3;
    /** Most gold a trade offers or asks; players start with 100, so a trade now and then asks too much. */
    static final int MAX_TRADE_GOLD = 30;

    /**
     * The avatars of this simulation's players while they play: a game shows who is online, and
     * only they can accept an offer (the benchmark's players in the same world have no session).
     */
    private static final Set<Long> ONLINE = ConcurrentHashMap.newKeySet();

    private PlayerBehaviour() {
    }

    static Session online(Session session) {
        ONLINE.add(session.getLong("playerId"));
        return session;
    }

    static Session offline(Session session) {
        ONLINE.remove(session.getLong("playerId"));
        return session;
    }

    /** The next position: a step towards the target if there is one, else a random step. */
    static Session planMove(Session session, double worldSize) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double x = session.getDouble("x");
        double y = session.getDouble("y");
        double nextX = x + random.nextDouble(-WANDER_STEP, WANDER_STEP);
        double nextY = y + random.nextDouble(-WANDER_STEP, WANDER_STEP);
        if (session.contains("intent")) {
            double dx = session.getDouble("targetX") - x;
            double dy = session.getDouble("targetY") - y;
            double distance = Math.hypot(dx, dy);
            double step = Math.min(APPROACH_STEP, distance - STANDOFF);
            if (step > 0) {
                nextX = x + dx / distance * step;
                nextY = y + dy / distance * step;
            } else {
                nextX = x + random.nextDouble(-1, 1);
                nextY = y + random.nextDouble(-1, 1);
            }
        }
        return session.set("nextX", SpawnPoints.clamp(nextX, worldSize)).set("nextY", SpawnPoints.clamp(nextY, worldSize));
    }

    /** The GLS's position of the avatar changes only when it accepted the move. */
    static Session applyMove(Session session) {
        if (!ActionOutcomes.OK.equals(session.getString(PlayerSocketActions.OUTCOME))) {
            return session;
        }
        return session.set("x", session.getDouble("nextX")).set("y", session.getDouble("nextY"));
    }

    /**
     * Picks what to do next from the last look: one of the actions something in sight allows
     * (harvest a node with resources left, attack a living player or NPC, offer a trade to a living
     * player who is online), then one target for it at random. Nothing in sight: just wander.
     */
    static Session chooseTarget(Session session) {
        Session without = session.removeAll("intent", "targetId", "targetX", "targetY");
        if (!session.contains("seen")) {
            return without;
        }
        long me = session.getLong("playerId");
        Map<String, List<Map<String, Object>>> candidates = Map.of("harvest", new ArrayList<>(), "attack", new ArrayList<>(),
                "trade", new ArrayList<>());
        for (Map<String, Object> entity : session.<Map<String, Object>>getList("seen")) {
            if (entity.get("x") == null || number(entity, "id") == me || Boolean.TRUE.equals(entity.get("dead"))) {
                continue;
            }
            switch (String.valueOf(entity.get("kind"))) {
                case "resource_node" -> {
                    if (number(entity, "amount") > 0) {
                        candidates.get("harvest").add(entity);
                    }
                }
                case "npc" -> candidates.get("attack").add(entity);
                case "player" -> {
                    candidates.get("attack").add(entity);
                    if (ONLINE.contains(number(entity, "id"))) {
                        candidates.get("trade").add(entity);
                    }
                }
                default -> { }
            }
        }
        List<String> possible = candidates.keySet().stream().filter(action -> !candidates.get(action).isEmpty()).sorted().toList();
        if (possible.isEmpty()) {
            return without;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String intent = possible.get(random.nextInt(possible.size()));
        List<Map<String, Object>> targets = candidates.get(intent);
        Map<String, Object> target = targets.get(random.nextInt(targets.size()));
        return without.set("intent", intent).set("targetId", number(target, "id"))
                .set("targetX", ((Number) target.get("x")).doubleValue()).set("targetY", ((Number) target.get("y")).doubleValue());
    }

    static boolean targetInReach(Session session) {
        return session.contains("intent")
                && Math.hypot(session.getDouble("targetX") - session.getDouble("x"), session.getDouble("targetY") - session.getDouble("y")) <= REACH;
    }

    /**
     * Gold both ways (at least one coin offered, so an offer always trades something) and, if the
     * player holds a harvested stack, that stack too. The player no longer counts on an offered
     * stack, which the other player may accept at any time; its next harvest starts or finds one.
     */
    static Session offerTrade(Session session) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Long> items = session.contains("stackId") ? List.of(session.getLong("stackId")) : List.of();
        return session.set("give", (long) random.nextInt(1, MAX_TRADE_GOLD + 1)).set("take", (long) random.nextInt(MAX_TRADE_GOLD + 1))
                .set("offeredItems", items).remove("stackId");
    }

    /** One action per target: the next look picks again. */
    static Session forgetTarget(Session session) {
        return session.removeAll("intent", "targetId", "targetX", "targetY");
    }

    private static long number(Map<String, Object> entity, String key) {
        return ((Number) entity.get(key)).longValue();
    }
}
