package io.gamestate.gls.game;

import io.gamestate.common.world.WorldGeometry;
import io.gamestate.gls.client.Downstream;
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
import jakarta.enterprise.event.Event;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Turns player actions into RMW-units and reads, after the checks only a game server can make:
 * the avatar is the session's own, a move is not faster than running, a target is within reach,
 * a trade has both players' consent, a session stays within its limits.
 */
@ApplicationScoped
public class GameLogic {

    static final long STARTING_GOLD = 100;
    static final int HIT = 10;
    static final int HARVEST_AMOUNT = 1;
    static final AttributeKey<String> ACTION = AttributeKey.stringKey("gls.action");
    static final AttributeKey<Long> PLAYER = AttributeKey.longKey("gls.player_id");
    static final String ACTIONS = "move, attack, harvest, offer, accept or cancel";

    private final PlayerSessions sessions;
    private final Dispatcher dispatcher;
    private final StateClient state;
    private final QueryClient query;
    private final WorldGeometry world;
    private final GlsConfig config;
    private final GameStats stats;
    private final TradeOffers offers;
    private final Event<TradeOffer> offered;

    public GameLogic(PlayerSessions sessions, Dispatcher dispatcher, StateClient state, QueryClient query,
                     WorldGeometry world, GlsConfig config, GameStats stats, TradeOffers offers, Event<TradeOffer> offered) {
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.state = state;
        this.query = query;
        this.world = world;
        this.config = config;
        this.stats = stats;
        this.offers = offers;
        this.offered = offered;
    }

    public Uni<Session> join(double x, double y) {
        requireInWorld(x, y);
        return state.apply(unit().setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER)
                        .setPosition(position(x, y)).setGold(STARTING_GOLD)).build())
                .map(r -> sessions.open(r.getEntities(0).getId(), x, y));
    }

    /**
     * Any action of the avatar's own, counted in the stats and limited per session; unknown or
     * incomplete actions are refused here.
     */
    public Uni<Acted> act(Session s, Action action) {
        Span.current().setAttribute(ACTION, action == null ? null : action.type()).setAttribute(PLAYER, s.playerId());
        return limited(s, () -> dispatch(s, action))
                .invoke(() -> stats.applied("player"))
                .onFailure().invoke(failure -> stats.failed("player", failure));
    }

    private Uni<Acted> dispatch(Session s, Action action) {
        if (action == null || action.type() == null) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "an action needs a type: " + ACTIONS);
        }
        return switch (action.type()) {
            case "move" -> move(s, required(action.x(), "x"), required(action.y(), "y")).map(Acted::applied);
            case "attack" -> attack(s, required(action.targetId(), "targetId")).map(Acted::applied);
            case "harvest" -> harvest(s, required(action.targetId(), "targetId")).map(Acted::applied);
            case "offer" -> offer(s, required(action.targetId(), "targetId"), orZero(action.give()), orZero(action.take()),
                    orNone(action.items()), orNone(action.takeItems())).map(Acted::about);
            case "accept" -> accept(s, required(action.offerId(), "offerId")).map(Acted::applied);
            case "cancel" -> Uni.createFrom().item(Acted.about(offers.cancel(required(action.offerId(), "offerId"), s.playerId())));
            case "trade" -> throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST,
                    "a trade takes both players' consent: send an offer, the other player accepts it");
            default -> throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "unknown action " + action.type() + ": " + ACTIONS);
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

    /** Hurts another entity only by the game's rule: within reach, a fixed hit. */
    public Uni<RmwResult> attack(Session s, long targetId) {
        return inReach(s, targetId).chain(target -> dispatcher.submit(unit().setDamage(Damage.newBuilder()
                .setAttackerId(s.playerId()).setTargetId(target.getId()).setAmount(HIT)).build()));
    }

    /** Takes from a resource node within reach into the player's own inventory. */
    public Uni<RmwResult> harvest(Session s, long nodeId) {
        return inReach(s, nodeId).chain(node -> dispatcher.submit(unit().setHarvest(Harvest.newBuilder()
                .setPlayerId(s.playerId()).setNodeId(node.getId()).setAmount(HARVEST_AMOUNT)).build()));
    }

    /**
     * Offers a trade to another player playing here and within reach; nothing moves until that
     * player accepts. The other player's WebSocket, if it has one, is told at once.
     */
    public Uni<TradeOffer> offer(Session s, long otherId, long give, long take, List<Long> items, List<Long> takeItems) {
        if (otherId == s.playerId()) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "a player cannot trade with itself");
        }
        if (give < 0 || take < 0) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "give and take are amounts of gold, not below 0");
        }
        if (give == 0 && take == 0 && items.isEmpty() && takeItems.isEmpty()) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "an offer trades gold or items, this one nothing");
        }
        if (Stream.concat(items.stream(), takeItems.stream()).distinct().count() != items.size() + takeItems.size()) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "an item is listed twice");
        }
        if (sessions.of(otherId).isEmpty()) {
            throw new GameRefusal(GameRefusal.Reason.NOT_FOUND, "player " + otherId + " is not playing on this server");
        }
        return inReach(s, otherId).map(other -> {
            TradeOffer offer = offers.open(s.playerId(), otherId, give, take, items, takeItems);
            offered.fire(offer);
            return offer;
        });
    }

    /**
     * Accepts an offer made to this player: still within reach of the offerer, the offer's exact
     * terms go to state-service as one Trade unit whose request id is the offer's, so a re-sent
     * acceptance is replayed by state-service instead of trading twice.
     */
    public Uni<RmwResult> accept(Session s, String offerId) {
        TradeOffer offer = offers.claim(offerId, s.playerId());
        return inReach(s, offer.fromId())
                .chain(offerer -> dispatcher.submit(RmwUnit.newBuilder().setRequestId("offer-" + offer.id())
                        .setTrade(Trade.newBuilder().setPlayerA(offer.fromId()).setPlayerB(offer.toId())
                                .setGoldAToB(offer.give()).setGoldBToA(offer.take())
                                .addAllItemsAToB(offer.items()).addAllItemsBToA(offer.takeItems())).build()))
                .invoke(() -> offers.accepted(offer.id()))
                .onFailure(failure -> failure instanceof GameRefusal || failure instanceof Downstream.Refused)
                .invoke(() -> offers.refused(offer.id()));
    }

    /** The open offers made by or to this player. */
    public Uni<List<TradeOffer>> offers(Session s) {
        return limited(s, () -> Uni.createFrom().item(offers.of(s.playerId())));
    }

    public Uni<List<Entity>> look(Session s, double radius) {
        return limited(s, () -> {
            if (!(radius > 0) || radius > config.maxLookRadius()) {
                throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST,
                        "look radius must be in (0, " + config.maxLookRadius() + "], got " + radius);
            }
            return query.around(s.x(), s.y(), radius, 200);
        });
    }

    /** Despawns the avatar and ends its session; its pending offers die at once. */
    public Uni<Acted> leave(Session s) {
        offers.dropPending(s.playerId());
        return state.apply(unit().setDespawn(Despawn.newBuilder().setEntityId(s.playerId())).build())
                .invoke(r -> sessions.close(s)).map(Acted::applied);
    }

    /**
     * The session's limits on every player request, whatever the gateway: a request beyond the
     * session's rate or its requests in flight is refused (429) before it costs anything, so a
     * flooding session cannot take the store's or query-service's capacity from other players.
     */
    private <T> Uni<T> limited(Session s, Supplier<Uni<? extends T>> request) {
        return Uni.createFrom().deferred(() -> {
            s.admit(config.maxInFlight());
            return Uni.createFrom().<T>deferred(request).onTermination().invoke(s::finished);
        });
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

    private static List<Long> orNone(List<Long> items) {
        return items == null ? List.of() : items;
    }

    private static RmwUnit.Builder unit() {
        return RmwUnit.newBuilder().setRequestId(UUID.randomUUID().toString());
    }

    private static Position position(double x, double y) {
        return Position.newBuilder().setX(x).setY(y).build();
    }
}
