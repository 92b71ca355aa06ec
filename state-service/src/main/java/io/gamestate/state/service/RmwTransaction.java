package io.gamestate.state.service;

import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.state.repository.IdAllocator;
import io.gamestate.state.repository.RmwRepository;
import io.gamestate.state.repository.StoreErrors;
import io.gamestate.state.rules.AccessPlan;
import io.gamestate.state.rules.GameRules;
import io.gamestate.state.rules.RetryableStoreException;
import io.gamestate.common.world.WorldGeometry;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Runs a batch of validated units in one transaction and retries the whole attempt when it lost a
 * race. A retry is safe: nothing of a failed attempt was committed, and a unit whose twin did
 * commit meanwhile finds the stored result and replays it.
 */
@ApplicationScoped
public class RmwTransaction {

    private static final Logger LOG = Logger.getLogger(RmwTransaction.class);

    private final Pool pool;
    private final RmwRepository repo;
    private final GameRules rules;
    private final WorldGeometry geometry;
    private final CellQueues queues;
    private final IdAllocator ids;
    private final MeterRegistry metrics;
    private final PartitionTrigger partitions;

    public RmwTransaction(Pool pool, RmwRepository repo, GameRules rules, WorldGeometry geometry, CellQueues queues,
                          IdAllocator ids, MeterRegistry metrics, PartitionTrigger partitions) {
        this.pool = pool;
        this.repo = repo;
        this.rules = rules;
        this.geometry = geometry;
        this.queues = queues;
        this.ids = ids;
        this.metrics = metrics;
        this.partitions = partitions;
    }

    /** Results by request id. */
    @Retry(maxRetries = 12, delay = 2, jitter = 2, maxDuration = 10_000, retryOn = RetryableStoreException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 100)
    public Uni<Map<String, RmwResult>> apply(List<PlannedUnit> units) {
        int newIds = units.stream().mapToInt(u -> AccessPlan.newIds(u.unit())).sum();
        long now = System.currentTimeMillis();
        return ids.reserve(IdAllocator.ENTITY_IDS, newIds).chain(fresh -> {
            BatchAttempt attempt = new BatchAttempt(repo, rules, geometry, queues, units, fresh, now);
            return pool.withTransaction(attempt::run)
                    .invoke(() -> partitions.afterCommit(attempt.cells()))
                    .eventually(() -> queues.release(attempt.admitted()));
        }).onFailure().transform(StoreErrors::classify)
                .onFailure(RetryableStoreException.class).invoke(this::countRetry);
    }

    private void countRetry(Throwable failure) {
        String reason = ((RetryableStoreException) failure).reason();
        metrics.counter("gamestate.rmw.retries", "reason", reason.split(":")[0]).increment();
        LOG.debugf("retrying RMW batch: %s", reason);
    }
}
