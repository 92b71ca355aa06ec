package io.gamestate.gls.client;

import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

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

    private final Guard state = guard(STATE);
    private final Guard query = guard(QUERY);

    /** A call to state-service, under its guard. */
    public <T> Uni<T> state(Supplier<Uni<T>> call) {
        return guarded(state, call);
    }

    /** A call to query-service, under its guard. */
    public <T> Uni<T> query(Supplier<Uni<T>> call) {
        return guarded(query, call);
    }

    // Called, not applied with @ApplyGuard: SmallRye Fault Tolerance 6.10.1 keeps a metrics collector
    // for every @ApplyGuard call for the life of the guard (smallrye/smallrye-fault-tolerance#1325),
    // 203,300 of them in one afternoon of ramps. The supplier is called again for each retry.
    @SuppressWarnings("unchecked")
    private static <T> Uni<T> guarded(Guard guard, Supplier<Uni<T>> call) {
        return guard.get(call, (Class<Uni<T>>) (Class<?>) Uni.class);
    }

    private static Guard guard(String service) {
        return Guard.create().withDescription(service)
                .withRetry().maxRetries(2).delay(20, ChronoUnit.MILLIS).jitter(10, ChronoUnit.MILLIS)
                .retryOn(Downstream.Unavailable.class).withExponentialBackoff().done().done()
                .withCircuitBreaker().name(service).requestVolumeThreshold(20).failureRatio(0.5).delay(2, ChronoUnit.SECONDS)
                .successThreshold(2).failOn(List.of(Downstream.Unavailable.class, Downstream.TooSlow.class)).done()
                .withBulkhead().limit(128).queueSize(512).done()
                .build();
    }
}
