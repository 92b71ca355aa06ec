package io.gamestate.state.service;

import io.gamestate.state.rules.RetryableStoreException;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * The one retry policy of every transaction on the store: what lost a race
 * ({@link RetryableStoreException}, as {@code StoreErrors} classifies the store's answer) runs
 * again, soon, with exponential backoff and jitter so that the losers of one race do not meet
 * again; nothing else is retried.
 */
@ApplicationScoped
public class ConflictRetry {

    public static final String NAME = "conflict-retry";

    private final Guard guard = Guard.create().withDescription(NAME)
            .withRetry().maxRetries(12).delay(2, ChronoUnit.MILLIS).jitter(2, ChronoUnit.MILLIS)
            .maxDuration(10, ChronoUnit.SECONDS).retryOn(RetryableStoreException.class)
            .withExponentialBackoff().factor(2).maxDelay(100, ChronoUnit.MILLIS).done()
            .done()
            .build();

    /**
     * The transaction, started again by calling {@code attempt} while it loses races. Called, not
     * applied with {@code @ApplyGuard}: SmallRye Fault Tolerance 6.10.1 keeps a metrics collector
     * for every {@code @ApplyGuard} call for the life of the guard
     * (smallrye/smallrye-fault-tolerance#1325), one per transaction.
     */
    @SuppressWarnings("unchecked")
    public <T> Uni<T> run(Supplier<Uni<T>> attempt) {
        return guard.get(attempt, (Class<Uni<T>>) (Class<?>) Uni.class);
    }
}
