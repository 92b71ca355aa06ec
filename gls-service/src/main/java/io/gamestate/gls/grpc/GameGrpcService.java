package io.gamestate.gls.grpc;

import io.gamestate.gls.config.GlsConfig;
import io.gamestate.gls.game.Action;
import io.gamestate.gls.game.GameLogic;
import io.gamestate.gls.game.GameRefusal;
import io.gamestate.gls.game.GameStats;
import io.gamestate.gls.game.NpcLoad;
import io.gamestate.gls.game.PlayerSessions;
import io.gamestate.gls.client.Downstream;
import io.gamestate.proto.game.v1.ActReply;
import io.gamestate.proto.game.v1.ActRequest;
import io.gamestate.proto.game.v1.GameService;
import io.gamestate.proto.game.v1.JoinReply;
import io.gamestate.proto.game.v1.JoinRequest;
import io.gamestate.proto.game.v1.StatsReply;
import io.gamestate.proto.game.v1.StatsRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** The GLS for other servers and admins: join and act like a player, and the GLS's statistics. */
@GrpcService
public class GameGrpcService implements GameService {

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
                        new Action(r.getType(), r.getX(), r.getY(), r.getTargetId(), r.getGive(), r.getTake(), r.getItemsList())))
                .map(result -> ActReply.newBuilder().setHarvested(result.getHarvested())
                        .addAllChangedEntityIds(result.getEntitiesList().stream().map(e -> e.getId()).toList()).build()));
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

    /** The same refusals as the player gateways, as gRPC statuses. */
    private static <T> Uni<T> status(Uni<T> call) {
        return call.onFailure().transform(failure -> {
            if (failure instanceof GameRefusal r) {
                Status status = switch (r.reason()) {
                    case BAD_REQUEST -> Status.INVALID_ARGUMENT;
                    case FORBIDDEN -> Status.PERMISSION_DENIED;
                    case NOT_ALLOWED -> Status.FAILED_PRECONDITION;
                    case TOO_MANY -> Status.RESOURCE_EXHAUSTED;
                };
                return status.withDescription(r.getMessage()).asRuntimeException();
            }
            if (failure instanceof Downstream.Refused r) {
                return Status.fromCode(r.code()).withDescription(r.getMessage()).asRuntimeException();
            }
            return Status.UNAVAILABLE.withDescription(failure.getMessage()).asRuntimeException();
        });
    }
}
