package io.gamestate.state.world;

import io.gamestate.store.SqlDialect;
import io.gamestate.state.config.RolloutConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Schema migrations once per rollout, not raced from every replica (Kubernetes, k8s/README.md).
 * <ul>
 * <li>{@code gamestate.rollout.migrate-only=true}, with {@code quarkus.flyway.migrate-at-start=true}: the
 * migration Job. Flyway migrates at boot, {@link WorldBootstrap} creates the world, then the
 * process exits 0.</li>
 * <li>{@code gamestate.rollout.await-world=5m}, with {@code migrate-at-start=false}: the replicas. They wait
 * for the world row the Job writes before {@link WorldBootstrap} checks it, instead of crashing
 * (and backing off) while the Job still runs; past the wait they fail to start as before.</li>
 * </ul>
 * Observer priorities put the wait before {@link WorldBootstrap} (default priority) and the exit
 * after it.
 */
@ApplicationScoped
public class RolloutMigration {

    private static final Logger LOG = Logger.getLogger(RolloutMigration.class);

    private final Pool pool;
    private final SqlDialect dialect;
    private final boolean migrateOnly;
    private final Duration awaitWorld;

    public RolloutMigration(Pool pool, SqlDialect dialect, RolloutConfig config) {
        this.pool = pool;
        this.dialect = dialect;
        this.migrateOnly = config.migrateOnly();
        this.awaitWorld = config.awaitWorld();
    }

    void awaitWorld(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event) {
        if (migrateOnly || awaitWorld.isZero()) {
            return;
        }
        LOG.infof("waiting up to %s for the world the migration Job creates", awaitWorld);
        pool.preparedQuery(dialect.sql("SELECT id FROM world WHERE id = ?"))
                .execute(Tuple.of((short) 1))
                .invoke(rows -> {
                    if (rows.size() == 0) {
                        throw new IllegalStateException("the schema exists but the world row does not yet");
                    }
                })
                // A missing table is an error too: retry both until the Job is done or time is up.
                .onFailure().invoke(e -> LOG.debugf("no world yet: %s", e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5)).expireIn(awaitWorld.toMillis())
                .await().atMost(awaitWorld.plusSeconds(10));
    }

    void exitWhenMigrated(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        if (migrateOnly) {
            LOG.info("schema migrated and world in place (gamestate.rollout.migrate-only): exiting");
            Quarkus.asyncExit(0);
        }
    }
}
