package io.gamestate.gls.client;

import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.StateService;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** state-service as the game logic sees it, each call under {@link DownstreamGuards#STATE}. */
@ApplicationScoped
public class StateClient {

    @GrpcClient("state")
    StateService state;

    @Inject
    DownstreamGuards guards;

    public Uni<RmwResult> apply(RmwUnit unit) {
        return guards.state(() -> state.applyRmw(unit).onFailure().transform(e -> Downstream.classify(DownstreamGuards.STATE, e)));
    }

    public Uni<List<RmwResult>> applyBatch(List<RmwUnit> units) {
        return guards.state(() -> state.applyBatch(ApplyBatchRequest.newBuilder().addAllUnits(units).build())
                .map(r -> r.getResultsList())
                .onFailure().transform(e -> Downstream.classify(DownstreamGuards.STATE, e)));
    }

    public Uni<Entity> entity(long id) {
        return guards.state(() -> state.getEntity(GetEntityRequest.newBuilder().setEntityId(id).build())
                .onFailure().transform(e -> Downstream.classify(DownstreamGuards.STATE, e)));
    }
}
