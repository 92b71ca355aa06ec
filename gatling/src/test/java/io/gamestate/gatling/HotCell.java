package io.gamestate.gatling;

import io.gatling.javaapi.core.Session;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * What the hot-cell simulation's phases share: the resource node a scout found near the hot point,
 * the scout's session, the players that crowded the node, and a ledger of their harvests, so that
 * the last phase can check the node against it.
 */
final class HotCell {

    static final String CONSISTENT = "consistent";

    private final double hotX;
    private final double hotY;
    private final double superblockSize;
    private final double spread;

    private volatile Map<String, Object> node;
    private volatile long scoutId;
    private volatile String scoutToken;
    private final Set<Long> players = ConcurrentHashMap.newKeySet();
    /** Units the GLS confirmed as harvested. */
    private final AtomicLong confirmedHarvest = new AtomicLong();
    /** Harvests without a confirmed outcome (a KO): each may or may not have been applied. */
    private final AtomicLong unconfirmedHarvests = new AtomicLong();

    HotCell(double hotX, double hotY, double superblockSize, double spread) {
        this.hotX = hotX;
        this.hotY = hotY;
        this.superblockSize = superblockSize;
        this.spread = spread;
    }

    /**
     * The scout picks, among the resource nodes it saw ({@code nodes}), the one nearest the hot point
     * whose crowd fits inside one superblock (so that all of it lands in one cell tree); if none
     * does, the nearest.
     */
    Session chooseNode(Session session) {
        List<Map<String, Object>> nodes = session.getList("nodes");
        Comparator<Map<String, Object>> nearest = Comparator.comparingDouble(n -> Math.hypot(x(n) - hotX, y(n) - hotY));
        node = nodes.stream().filter(n -> n.get("x") != null && ((Number) n.get("amount")).longValue() > 0)
                .min(Comparator.<Map<String, Object>, Boolean>comparing(n -> !crowdFitsOneSuperblock(n)).thenComparing(nearest))
                .orElse(null);
        scoutId = session.getLong("playerId");
        scoutToken = session.getString("token");
        return session;
    }

    boolean found() {
        return node != null;
    }

    long nodeId() {
        return ((Number) node.get("id")).longValue();
    }

    double nodeX() {
        return x(node);
    }

    double nodeY() {
        return y(node);
    }

    /** The scout's session, for the verification at the end. */
    Session asScout(Session session) {
        return session.set("playerId", scoutId).set("token", scoutToken);
    }

    /** Radius around the scout that takes in the node and its whole crowd. */
    double verificationRadius() {
        return Math.hypot(nodeX() - hotX, nodeY() - hotY) + spread + 2;
    }

    Session joined(Session session) {
        players.add(session.getLong("playerId"));
        return session;
    }

    /** Books the harvest this session just made: its yield if the GLS confirmed it, else an unknown outcome. */
    Session harvested(Session session) {
        if (session.contains("harvested")) {
            confirmedHarvest.addAndGet(session.getLong("harvested"));
        } else {
            unconfirmedHarvests.incrementAndGet();
        }
        return session.remove("harvested");
    }

    /**
     * {@link #CONSISTENT} if what the scout sees now agrees with the run: the node lost at least the
     * confirmed harvests and at most one unit more per unconfirmed harvest (each takes 1), and no
     * player that left is still in the world. Otherwise what disagrees, as Gatling's check message.
     */
    String verdict(List<Map<String, Object>> seen) {
        Map<String, Object> now = seen.stream().filter(e -> ((Number) e.get("id")).longValue() == nodeId()).findFirst().orElse(null);
        if (now == null) {
            return "node " + nodeId() + " is no longer in sight";
        }
        long taken = ((Number) node.get("amount")).longValue() - ((Number) now.get("amount")).longValue();
        long confirmed = confirmedHarvest.get();
        long unconfirmed = unconfirmedHarvests.get();
        if (taken < confirmed || taken > confirmed + unconfirmed) {
            return String.format("node %d lost %d units, but %d were confirmed harvested and %d harvests had no confirmed outcome",
                    nodeId(), taken, confirmed, unconfirmed);
        }
        Set<Long> leftBehind = seen.stream().map(e -> ((Number) e.get("id")).longValue()).filter(players::contains)
                .collect(Collectors.toSet());
        if (!leftBehind.isEmpty()) {
            return "players still in the world after they left: " + leftBehind;
        }
        return CONSISTENT;
    }

    String summary() {
        return String.format("node %s at (%.1f, %.1f), %d players joined, %d units confirmed harvested, %d harvests unconfirmed",
                node == null ? "none" : nodeId(), node == null ? hotX : nodeX(), node == null ? hotY : nodeY(), players.size(),
                confirmedHarvest.get(), unconfirmedHarvests.get());
    }

    private boolean crowdFitsOneSuperblock(Map<String, Object> n) {
        double margin = spread + PlayerHttpActions.HOME_JITTER + 1;
        double inX = x(n) % superblockSize;
        double inY = y(n) % superblockSize;
        return inX >= margin && inX <= superblockSize - margin && inY >= margin && inY <= superblockSize - margin;
    }

    private static double x(Map<String, Object> n) {
        return ((Number) n.get("x")).doubleValue();
    }

    private static double y(Map<String, Object> n) {
        return ((Number) n.get("y")).doubleValue();
    }
}
