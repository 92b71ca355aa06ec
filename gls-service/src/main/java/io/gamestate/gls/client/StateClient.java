package io.gamestate.gls.client;

import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.StateService;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** state-service as the game logic sees it, each call under {@link DownstreamGuards#STATE}. */
@ApplicationScoped
public class StateClient {

    @GrpcClient("state")
    StateService state;

    @ApplyGuard(DownstreamGuards.STATE)
    public Uni<RmwResult> apply(RmwUnit unit) {
        return state.applyRmw(unit).onFailure().transform(e -> Downstream.classify(DownstreamGuards.STATE, e));
    }

    @ApplyGuard(DownstreamGuards.STATE)
    public Uni<List<RmwResult>> applyBatch(List<RmwUnit> units) {
        return state.applyBatch(ApplyBatchRequest.newBuilder().addAllUnits(units).build())
                .map(r -> r.getResultsList())
                .onFailure().transform(e -> Downstream.classify(DownstreamGuards.STATE, e));
    }

    @ApplyGuard(DownstreamGuards.STATE)
    public Uni<Entity> entity(long id) {
        return state.getEntity(GetEntityRequest.newBuilder().setEntityId(id).build())
                .onFailure().transform(e -> Downstream.classify(DownstreamGuards.STATE, e));
    }
}
