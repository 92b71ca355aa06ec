package io.gamestate.gls.client;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The fault tolerance of the GLS's calls to state-service and query-service, in one place: one
 * guard per service (each its own breaker and bulkhead), built alike. The call's only deadline is
 * {@code gls.deadline}, set on the gRPC call itself ({@link DeadlineInterceptor}), so the service
 * sees it too; a call past it is {@link Downstream.TooSlow}.
 * <ul>
 * <li>Retry: only {@link Downstream.Unavailable}, twice, soon, with backoff and jitter: every write
 * carries its request id, so a re-sent unit is replayed, not applied twice; a conflict was already
 * retried by state-service itself.
 * <li>Breaker: counts only an unreachable or too slow service, never a refusal or a bug, so one bad
 * request cannot open it for every player; open, it lets a probe through after a pause, so the
 * GLS recovers by itself.
 * <li>Bulkhead: the back-pressure; beyond it callers are refused at once instead of queueing behind
 * a slow store.
 * </ul>
 */
@ApplicationScoped
public class DownstreamGuards {

    public static final String STATE = "state-service";
    public static final String QUERY = "query-service";

    // @Singleton: the guard itself, not a client proxy, is what @ApplyGuard looks up.
    @Produces
    @Singleton
    @Identifier(STATE)
    Guard state() {
        return guard(STATE);
    }

    @Produces
    @Singleton
    @Identifier(QUERY)
    Guard query() {
        return guard(QUERY);
    }

    private static Guard guard(String service) {
        return Guard.create()
                .withRetry().maxRetries(2).delay(20, ChronoUnit.MILLIS).jitter(10, ChronoUnit.MILLIS)
                .retryOn(Downstream.Unavailable.class).withExponentialBackoff().done().done()
                .withCircuitBreaker().name(service).requestVolumeThreshold(20).failureRatio(0.5).delay(2, ChronoUnit.SECONDS)
                .successThreshold(2).failOn(List.of(Downstream.Unavailable.class, Downstream.TooSlow.class)).done()
                .withBulkhead().limit(128).queueSize(512).done()
                .build();
    }
}
