package io.gamestate.gls.grpc;

import io.gamestate.gls.api.Problem;
import io.gamestate.gls.client.Downstream;
import io.gamestate.gls.config.GlsConfig;
import io.gamestate.gls.game.Action;
import io.gamestate.gls.game.GameLogic;
import io.gamestate.gls.game.GameRefusal;
import io.gamestate.gls.game.GameStats;
import io.gamestate.gls.game.NpcLoad;
import io.gamestate.gls.game.PlayerSessions;
import io.gamestate.gls.game.TradeOffer;
import io.gamestate.proto.game.v1.ActReply;
import io.gamestate.proto.game.v1.ActRequest;
import io.gamestate.proto.game.v1.GameService;
import io.gamestate.proto.game.v1.JoinReply;
import io.gamestate.proto.game.v1.JoinRequest;
import io.gamestate.proto.game.v1.OffersReply;
import io.gamestate.proto.game.v1.OffersRequest;
import io.gamestate.proto.game.v1.StatsReply;
import io.gamestate.proto.game.v1.StatsRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/** The GLS for other servers and admins: join and act like a player, and the GLS's statistics. */
@GrpcService
public class GameGrpcService implements GameService {

    private static final Logger LOG = Logger.getLogger(GameGrpcService.class);

    private final GameLogic game;
    private final PlayerSessions sessions;
    private final GameStats stats;
    private final NpcLoad npcs;
    private final GlsConfig config;

    public GameGrpcService(GameLogic game, PlayerSessions sessions, GameStats stats, NpcLoad npcs, GlsConfig config) {
        this.game = game;
        this.sessions = sessions;
        this.stats = stats;
        this.npcs = npcs;
        this.config = config;
    }

    @Override
    public Uni<JoinReply> join(JoinRequest request) {
        return status(Uni.createFrom().deferred(() -> game.join(request.getX(), request.getY()))
                .map(s -> JoinReply.newBuilder().setPlayerId(s.playerId()).setToken(s.token()).build()));
    }

    @Override
    public Uni<ActReply> act(ActRequest r) {
        return status(Uni.createFrom().deferred(() -> game.act(sessions.require(r.getToken(), r.getPlayerId()),
                        new Action(r.getType(), r.getX(), r.getY(), r.getTargetId(), r.getGive(), r.getTake(), r.getItemsList(),
                                r.getTakeItemsList(), r.getOfferId().isEmpty() ? null : r.getOfferId())))
                .map(acted -> {
                    ActReply.Builder reply = ActReply.newBuilder().setHarvested(acted.harvested()).setReplayed(acted.replayed())
                            .addAllChangedEntityIds(acted.entities().stream().map(e -> e.getId()).toList());
                    if (acted.offer() != null) {
                        reply.setOffer(offer(acted.offer()));
                    }
                    return reply.build();
                }));
    }

    @Override
    public Uni<OffersReply> offers(OffersRequest r) {
        return status(Uni.createFrom().deferred(() -> game.offers(sessions.require(r.getToken(), r.getPlayerId())))
                .map(offers -> OffersReply.newBuilder().addAllOffers(offers.stream().map(GameGrpcService::offer).toList()).build()));
    }

    @Override
    public Uni<StatsReply> stats(StatsRequest request) {
        return Uni.createFrom().item(() -> StatsReply.newBuilder()
                .setSessions(sessions.count())
                .putAllActions(stats.snapshot())
                .setMode(config.mode().name().toLowerCase())
                .setNpcs(npcs.count())
                .build());
    }

    private static io.gamestate.proto.game.v1.TradeOffer offer(TradeOffer o) {
        return io.gamestate.proto.game.v1.TradeOffer.newBuilder().setOfferId(o.id()).setFromId(o.fromId()).setToId(o.toId())
                .setGive(o.give()).setTake(o.take()).addAllItems(o.items()).addAllTakeItems(o.takeItems())
                .setExpiresAtMillis(o.expiresAt().toEpochMilli()).build();
    }

    private static <T> Uni<T> status(Uni<T> call) {
        return call.onFailure().transform(failure -> toStatus(failure).asRuntimeException());
    }

    /**
     * The same answers as the player gateways, as gRPC statuses: refusals keep their meaning,
     * UNAVAILABLE means a downstream is down, too slow or behind an open breaker (worth another
     * try), and anything else is a bug: INTERNAL, logged.
     */
    static Status toStatus(Throwable failure) {
        if (failure instanceof GameRefusal r) {
            Status status = switch (r.reason()) {
                case BAD_REQUEST -> Status.INVALID_ARGUMENT;
                case FORBIDDEN -> Status.PERMISSION_DENIED;
                case NOT_FOUND -> Status.NOT_FOUND;
                case NOT_ALLOWED -> Status.FAILED_PRECONDITION;
                case TOO_MANY -> Status.RESOURCE_EXHAUSTED;
            };
            return status.withDescription(r.getMessage());
        }
        if (failure instanceof Downstream.Refused r) {
            // state-service shedding load is, to a caller of the GLS, a service not available right now.
            Status.Code code = r.code() == Status.Code.RESOURCE_EXHAUSTED ? Status.Code.UNAVAILABLE : r.code();
            return Status.fromCode(code).withDescription(r.getMessage());
        }
        if (Problem.isUnavailable(failure)) {
            return Status.UNAVAILABLE.withDescription(failure.getMessage());
        }
        LOG.error("GameService call failed", failure);
        return Status.INTERNAL.withDescription("the game server failed: " + failure.getMessage());
    }
}
