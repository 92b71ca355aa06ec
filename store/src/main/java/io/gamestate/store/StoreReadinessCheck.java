package io.gamestate.store;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the store answers a query. Replaces the datasource check of Quarkus, which said
 * DOWN on the first probe after a store restart: that probe drew a pooled connection the old
 * server had dropped. Here a failed query is asked again, on whatever connection the pool gives
 * next, before the store counts as down.
 */
@Readiness
@ApplicationScoped
public class StoreReadinessCheck implements AsyncHealthCheck {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final Pool pool;

    public StoreReadinessCheck(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("SELECT 1").execute()
                .onFailure().retry().withBackOff(Duration.ofMillis(20)).atMost(2)
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .map(rows -> HealthCheckResponse.up("store"))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("store").down()
                        .withData("error", String.valueOf(failure.getMessage())).build());
    }
}
