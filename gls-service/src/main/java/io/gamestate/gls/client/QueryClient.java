package io.gamestate.gls.client;

import io.gamestate.proto.query.v1.QueryService;
import io.gamestate.proto.query.v1.RadiusQuery;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.Position;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * query-service as the game logic sees it, with the same policy as {@link StateClient}: reads are
 * idempotent, yet only an unavailable service is retried, and only an unreachable or too slow one
 * counts toward the breaker.
 */
@ApplicationScoped
public class QueryClient {

    @GrpcClient("query")
    QueryService query;

    @Timeout(1000)
    @Retry(maxRetries = 2, delay = 20, jitter = 10, retryOn = Downstream.Unavailable.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 2,
            failOn = {Downstream.Unavailable.class, Downstream.TooSlow.class, TimeoutException.class})
    @Bulkhead(value = 128, waitingTaskQueue = 512)
    public Uni<List<Entity>> around(double x, double y, double radius, int limit) {
        return query.entitiesInRadius(RadiusQuery.newBuilder()
                        .setCenter(Position.newBuilder().setX(x).setY(y)).setRadius(radius).setLimit(limit).build())
                .map(r -> r.getEntitiesList())
                .onFailure().transform(e -> Downstream.classify("query-service", e));
    }
}
