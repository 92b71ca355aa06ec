package io.gamestate.gls.client;

import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.StateService;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * state-service as the game logic sees it. Only {@link Downstream.Unavailable} is retried: every
 * write carries a request id, so a re-sent unit is replayed, not applied twice; a conflict
 * ({@code ABORTED}) was already retried by state-service itself. The breaker counts only an
 * unreachable or too slow service ({@link Downstream.Unavailable}, {@link Downstream.TooSlow}, the
 * timeout), never a refusal or a bug, so one bad request cannot open it for every player; open, it
 * stops calling and lets a probe through after a pause, so the GLS recovers by itself. The
 * bulkhead is the back-pressure: beyond it, callers are refused at once instead of queueing
 * behind a slow store.
 */
@ApplicationScoped
@Retry(maxRetries = 2, delay = 20, jitter = 10, retryOn = Downstream.Unavailable.class)
@ExponentialBackoff
@CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 2,
        failOn = {Downstream.Unavailable.class, Downstream.TooSlow.class, TimeoutException.class})
public class StateClient {

    @GrpcClient("state")
    StateService state;

    @Timeout(2000)
    @Bulkhead(value = 128, waitingTaskQueue = 512)
    public Uni<RmwResult> apply(RmwUnit unit) {
        return state.applyRmw(unit).onFailure().transform(e -> Downstream.classify("state-service", e));
    }

    @Timeout(2000)
    @Bulkhead(value = 16, waitingTaskQueue = 64)
    public Uni<List<RmwResult>> applyBatch(List<RmwUnit> units) {
        return state.applyBatch(ApplyBatchRequest.newBuilder().addAllUnits(units).build())
                .map(r -> r.getResultsList())
                .onFailure().transform(e -> Downstream.classify("state-service", e));
    }

    @Timeout(1000)
    @Bulkhead(value = 128, waitingTaskQueue = 512)
    public Uni<Entity> entity(long id) {
        return state.getEntity(GetEntityRequest.newBuilder().setEntityId(id).build())
                .onFailure().transform(e -> Downstream.classify("state-service", e));
    }
}
