package io.gamestate.state.grpc;

import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.ApplyBatchResponse;
import io.gamestate.proto.state.v1.Cell;
import io.gamestate.proto.state.v1.DespawnEntityRequest;
import io.gamestate.proto.state.v1.Despawn;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.GetCellRequest;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.SpawnEntityRequest;
import io.gamestate.proto.state.v1.StateService;
import io.gamestate.state.model.ProtoMapping;
import io.gamestate.state.repository.LookupRepository;
import io.gamestate.state.repository.StoreErrors;
import io.gamestate.state.repository.StoreUnavailableException;
import io.gamestate.state.rules.RetryableStoreException;
import io.gamestate.state.rules.RuleViolation;
import io.gamestate.state.service.RmwService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/** gRPC face of the state service: maps calls to the RMW service and failures to status codes. */
@GrpcService
public class StateGrpcService implements StateService {

    private static final Logger LOG = Logger.getLogger(StateGrpcService.class);

    private final RmwService rmw;
    private final LookupRepository lookups;

    public StateGrpcService(RmwService rmw, LookupRepository lookups) {
        this.rmw = rmw;
        this.lookups = lookups;
    }

    @Override
    public Uni<RmwResult> spawnEntity(SpawnEntityRequest request) {
        return respond(rmw.apply(RmwUnit.newBuilder()
                .setRequestId(request.getRequestId())
                .setSpawn(request.getSpawn())
                .build()));
    }

    @Override
    public Uni<RmwResult> despawnEntity(DespawnEntityRequest request) {
        return respond(rmw.apply(RmwUnit.newBuilder()
                .setRequestId(request.getRequestId())
                .setDespawn(Despawn.newBuilder().setEntityId(request.getEntityId()))
                .build()));
    }

    @Override
    public Uni<Entity> getEntity(GetEntityRequest request) {
        if (request.getEntityId() <= 0) {
            return Uni.createFrom().failure(status(Status.INVALID_ARGUMENT, "entity_id must be positive"));
        }
        return respond(lookups.entity(request.getEntityId()).map(e -> {
            if (e == null) {
                throw status(Status.NOT_FOUND, "entity " + request.getEntityId() + " does not exist");
            }
            return ProtoMapping.entity(e);
        }));
    }

    @Override
    public Uni<Cell> getCell(GetCellRequest request) {
        if (request.getCellId() <= 0) {
            return Uni.createFrom().failure(status(Status.INVALID_ARGUMENT, "cell_id must be positive"));
        }
        return respond(lookups.cell(request.getCellId()).map(c -> {
            if (c == null) {
                throw status(Status.NOT_FOUND, "cell " + request.getCellId() + " does not exist");
            }
            return c;
        }));
    }

    @Override
    public Uni<RmwResult> applyRmw(RmwUnit request) {
        return respond(rmw.apply(request));
    }

    @Override
    public Uni<ApplyBatchResponse> applyBatch(ApplyBatchRequest request) {
        return respond(rmw.applyBatch(request.getUnitsList())
                .map(results -> ApplyBatchResponse.newBuilder().addAllResults(results).build()));
    }

    /**
     * Rule violations keep their code and message; an unreachable store is UNAVAILABLE (try
     * again); anything unexpected is INTERNAL (a bug: do not retry) and logged.
     */
    private static <T> Uni<T> respond(Uni<T> call) {
        return call.onFailure().transform(failure -> {
            if (failure instanceof StatusRuntimeException) {
                return failure;
            }
            if (failure instanceof RuleViolation v) {
                return status(Status.fromCode(v.code()), v.getMessage());
            }
            Throwable classified = StoreErrors.classify(failure);
            if (classified instanceof StoreUnavailableException unavailable) {
                return status(Status.UNAVAILABLE, unavailable.getMessage());
            }
            if (classified instanceof RetryableStoreException r) {
                return status(Status.ABORTED, "conflict persisted through every retry: " + r.reason());
            }
            LOG.error("state call failed", failure);
            return status(Status.INTERNAL, "state service failed: " + failure.getMessage());
        });
    }

    private static StatusRuntimeException status(Status status, String message) {
        return status.withDescription(message).asRuntimeException();
    }
}
