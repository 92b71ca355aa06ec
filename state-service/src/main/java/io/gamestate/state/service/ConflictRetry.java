package io.gamestate.state.service;

import io.gamestate.state.rules.RetryableStoreException;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.temporal.ChronoUnit;

/**
 * The one retry policy of every transaction on the store ({@code @ApplyGuard(ConflictRetry.NAME)}):
 * what lost a race ({@link RetryableStoreException}, as {@code StoreErrors} classifies the store's
 * answer) runs again, soon, with exponential backoff and jitter so that the losers of one race do
 * not meet again; nothing else is retried.
 */
@ApplicationScoped
public class ConflictRetry {

    public static final String NAME = "conflict-retry";

    // @Singleton: the guard itself, not a client proxy, is what @ApplyGuard looks up.
    @Produces
    @Singleton
    @Identifier(NAME)
    Guard conflictRetry() {
        return Guard.create()
                .withRetry().maxRetries(12).delay(2, ChronoUnit.MILLIS).jitter(2, ChronoUnit.MILLIS)
                .maxDuration(10, ChronoUnit.SECONDS).retryOn(RetryableStoreException.class)
                .withExponentialBackoff().factor(2).maxDelay(100, ChronoUnit.MILLIS).done()
                .done()
                .build();
    }
}
