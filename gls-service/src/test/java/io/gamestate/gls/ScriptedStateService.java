package io.gamestate.gls;

import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.ApplyBatchResponse;
import io.gamestate.proto.state.v1.Cell;
import io.gamestate.proto.state.v1.DespawnEntityRequest;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.GetCellRequest;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.SpawnEntityRequest;
import io.gamestate.proto.state.v1.StateService;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A state-service that answers {@code ApplyRmw} with the status a test sets, and records the
 * request id of every call it gets: what the GLS's client policy (retries, breaker) does with each
 * answer is then seen on the wire. Served by the GLS under test on its own port; only
 * {@link DownstreamPolicyTest} points the GLS's state client at it.
 */
@GrpcService
public class ScriptedStateService implements StateService {

    static volatile Status.Code answer = Status.Code.OK;
    static final List<String> REQUEST_IDS = new CopyOnWriteArrayList<>();

    static void answer(Status.Code code) {
        answer = code;
        REQUEST_IDS.clear();
    }

    @Override
    public Uni<RmwResult> applyRmw(RmwUnit unit) {
        REQUEST_IDS.add(unit.getRequestId());
        if (answer != Status.Code.OK) {
            return Uni.createFrom().failure(Status.fromCode(answer).withDescription("scripted " + answer).asRuntimeException());
        }
        return Uni.createFrom().item(RmwResult.newBuilder().setRequestId(unit.getRequestId())
                .addEntities(Entity.newBuilder().setId(REQUEST_IDS.size())).build());
    }

    @Override
    public Uni<RmwResult> spawnEntity(SpawnEntityRequest request) {
        return unimplemented();
    }

    @Override
    public Uni<RmwResult> despawnEntity(DespawnEntityRequest request) {
        return unimplemented();
    }

    @Override
    public Uni<Entity> getEntity(GetEntityRequest request) {
        return unimplemented();
    }

    @Override
    public Uni<Cell> getCell(GetCellRequest request) {
        return unimplemented();
    }

    @Override
    public Uni<ApplyBatchResponse> applyBatch(ApplyBatchRequest request) {
        return unimplemented();
    }

    private static <T> Uni<T> unimplemented() {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }
}
