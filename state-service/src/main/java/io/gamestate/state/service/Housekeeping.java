package io.gamestate.state.service;

import io.gamestate.state.config.StateConfig;
import io.gamestate.store.SqlDialect;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Drops expired effects and request records that are past their replay window. */
@ApplicationScoped
public class Housekeeping {

    private final Pool pool;
    private final SqlDialect dialect;
    private final long idempotencyTtlMs;

    public Housekeeping(Pool pool, SqlDialect dialect, StateConfig config) {
        this.pool = pool;
        this.dialect = dialect;
        this.idempotencyTtlMs = config.rmw().idempotencyTtl().toMillis();
    }

    // Not while starting or stopping: a purge that fired as the service shut down connected on a closing
    // pool; that stop's Vert.x shutdown timed out (10 s) with the gRPC port still bound.
    @Scheduled(every = "${gamestate.housekeeping.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> purge() {
        long now = System.currentTimeMillis();
        // In a transaction of its own: on a multi-primary store connections run with autocommit off (ReadCommittedMySqlPool).
        return pool.withTransaction(c -> c.preparedQuery(dialect.sql("DELETE FROM effect WHERE expires_at < ?")).execute(Tuple.of(now))
                .chain(() -> c.preparedQuery(dialect.sql("DELETE FROM rmw_request WHERE created_at < ?"))
                        .execute(Tuple.of(now - idempotencyTtlMs))))
                .replaceWithVoid();
    }
}
