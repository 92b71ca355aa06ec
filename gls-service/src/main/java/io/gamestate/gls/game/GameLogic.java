package io.gamestate.gls.game;

import io.gamestate.common.world.WorldGeometry;
import io.gamestate.gls.client.QueryClient;
import io.gamestate.gls.client.StateClient;
import io.gamestate.gls.config.GlsConfig;
import io.gamestate.gls.game.PlayerSessions.Session;
import io.gamestate.proto.state.v1.Damage;
import io.gamestate.proto.state.v1.Despawn;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Harvest;
import io.gamestate.proto.state.v1.Move;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.Trade;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Turns player actions into RMW-units and reads, after the checks only a game server can make:
 * the avatar is the session's own, a move is not faster than running, a target is within reach.
 */
@ApplicationScoped
public class GameLogic {

    static final long STARTING_GOLD = 100;
    static final int HIT = 10;
    static final int HARVEST_AMOUNT = 1;
    static final AttributeKey<String> ACTION = AttributeKey.stringKey("gls.action");
    static final AttributeKey<Long> PLAYER = AttributeKey.longKey("gls.player_id");

    private final PlayerSessions sessions;
    private final Dispatcher dispatcher;
    private final StateClient state;
    private final QueryClient query;
    private final WorldGeometry world;
    private final GlsConfig config;
    private final GameStats stats;

    public GameLogic(PlayerSessions sessions, Dispatcher dispatcher, StateClient state, QueryClient query,
                     WorldGeometry world, GlsConfig config, GameStats stats) {
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.state = state;
        this.query = query;
        this.world = world;
        this.config = config;
        this.stats = stats;
    }

    public Uni<Session> join(double x, double y) {
        requireInWorld(x, y);
        return state.apply(unit().setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER)
                        .setPosition(position(x, y)).setGold(STARTING_GOLD)).build())
                .map(r -> sessions.open(r.getEntities(0).getId(), x, y));
    }

    /** Any action of the avatar's own, counted in the stats; unknown or incomplete actions are refused here. */
    public Uni<RmwResult> act(Session s, Action action) {
        Span.current().setAttribute(ACTION, action == null ? null : action.type()).setAttribute(PLAYER, s.playerId());
        return Uni.createFrom().deferred(() -> dispatch(s, action))
                .invoke(() -> stats.applied("player"))
                .onFailure().invoke(failure -> stats.failed("player", failure));
    }

    private Uni<RmwResult> dispatch(Session s, Action action) {
        if (action == null || action.type() == null) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "an action needs a type: move, attack, harvest or trade");
        }
        return switch (action.type()) {
            case "move" -> move(s, required(action.x(), "x"), required(action.y(), "y"));
            case "attack" -> attack(s, required(action.targetId(), "targetId"));
            case "harvest" -> harvest(s, required(action.targetId(), "targetId"));
            case "trade" -> trade(s, required(action.targetId(), "targetId"), orZero(action.give()), orZero(action.take()),
                    action.items() == null ? List.of() : action.items());
            default -> throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST,
                    "unknown action " + action.type() + ": move, attack, harvest or trade");
        };
    }

    public Uni<RmwResult> move(Session s, double x, double y) {
        requireInWorld(x, y);
        long now = System.nanoTime();
        double distance = Math.hypot(x - s.x(), y - s.y());
        // A little slack for network jitter; a teleport is far beyond it.
        double allowed = config.maxSpeed() * Math.max(s.secondsSinceMove(now), 0.05) + 0.5;
        if (distance > allowed) {
            throw new GameRefusal(GameRefusal.Reason.NOT_ALLOWED, String.format(
                    "move of %.1f units is faster than %.1f units/s: refused as a teleport", distance, config.maxSpeed()));
        }
        return dispatcher.submit(unit().setMove(Move.newBuilder().setEntityId(s.playerId()).setTo(position(x, y))).build())
                .invoke(r -> s.moved(x, y, now));
    }

    public Uni<RmwResult> attack(Session s, long targetId) {
        return inReach(s, targetId).chain(target -> dispatcher.submit(unit().setDamage(Damage.newBuilder()
                .setAttackerId(s.playerId()).setTargetId(target.getId()).setAmount(HIT)).build()));
    }

    public Uni<RmwResult> harvest(Session s, long nodeId) {
        return inReach(s, nodeId).chain(node -> dispatcher.submit(unit().setHarvest(Harvest.newBuilder()
                .setPlayerId(s.playerId()).setNodeId(node.getId()).setAmount(HARVEST_AMOUNT)).build()));
    }

    /** Gold both ways and items from this player to the other, in one atomic unit. */
    public Uni<RmwResult> trade(Session s, long otherId, long give, long take, List<Long> items) {
        if (otherId == s.playerId()) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "a player cannot trade with itself");
        }
        return inReach(s, otherId).chain(other -> dispatcher.submit(unit().setTrade(Trade.newBuilder()
                .setPlayerA(s.playerId()).setPlayerB(other.getId()).setGoldAToB(give).setGoldBToA(take)
                .addAllItemsAToB(items)).build()));
    }

    public Uni<List<Entity>> look(Session s, double radius) {
        if (!(radius > 0) || radius > config.maxLookRadius()) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST,
                    "look radius must be in (0, " + config.maxLookRadius() + "], got " + radius);
        }
        return query.around(s.x(), s.y(), radius, 200);
    }

    public Uni<RmwResult> leave(Session s) {
        return state.apply(unit().setDespawn(Despawn.newBuilder().setEntityId(s.playerId())).build())
                .invoke(r -> sessions.close(s));
    }

    /** The target, read fresh from the store, if it is within action range of the avatar. */
    private Uni<Entity> inReach(Session s, long targetId) {
        return state.entity(targetId).map(target -> {
            double distance = Math.hypot(target.getPosition().getX() - s.x(), target.getPosition().getY() - s.y());
            if (!target.hasPosition() || distance > config.actionRange()) {
                throw new GameRefusal(GameRefusal.Reason.NOT_ALLOWED, String.format(
                        "entity %d is %.1f units away; reach is %.1f", targetId, distance, config.actionRange()));
            }
            return target;
        });
    }

    private void requireInWorld(double x, double y) {
        if (!world.contains(x, y)) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "(" + x + ", " + y + ") is outside the world");
        }
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, field + " is required for this action");
        }
        return value;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static RmwUnit.Builder unit() {
        return RmwUnit.newBuilder().setRequestId(UUID.randomUUID().toString());
    }

    private static Position position(double x, double y) {
        return Position.newBuilder().setX(x).setY(y).build();
    }
}
