package io.gamestate.state.service;

import io.gamestate.common.tracing.RmwSpans;
import io.gamestate.common.tracing.SpanNames;
import io.gamestate.common.tracing.Traced;
import io.gamestate.common.world.WorldGeometry;
import io.gamestate.store.SqlDialect;
import io.gamestate.store.StoreFamily;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.state.repository.IdAllocator;
import io.gamestate.state.repository.RmwRepository;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.repository.StoreErrors;
import io.gamestate.state.repository.StoreUnavailableException;
import io.gamestate.state.rules.Rules;
import io.gamestate.state.rules.RetryableStoreException;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs a batch of validated units in one transaction and retries the whole attempt when the store
 * reports a lost race (deadlock, serialization failure, lock timeout, a twin's request id). A
 * retry is safe: nothing of a failed attempt was committed, and a unit whose twin did commit
 * meanwhile finds the stored result and replays it. Units the attempt could not plan under its
 * locks come back as {@link Outcome#lost()}: the caller runs them again, the others commit. Each attempt is a span of its own
 * ({@code rmw.transaction}) holding its SQL statements, its lock waits as events and, when it
 * lost, the retry reason.
 */
@ApplicationScoped
public class RmwTransaction {

    private static final Logger LOG = Logger.getLogger(RmwTransaction.class);

    private final Pool pool;
    private final RmwRepository repo;
    private final Rules rules;
    private final WorldGeometry geometry;
    private final CellQueues queues;
    private final KnownLeaves knownLeaves;
    private final IdAllocator ids;
    private final MeterRegistry metrics;
    private final PartitionTrigger partitions;
    private final Tracer tracer;
    private final String storeFamily;
    /** COMMIT pipelined behind the writes: PostgreSQL family only ({@link BatchAttempt#run}). */
    private final boolean commitPipelined;
    private final Duration transactionTimeout;
    private final ConflictRetry retry;

    public RmwTransaction(Pool pool, RmwRepository repo, Rules rules, WorldGeometry geometry, CellQueues queues,
                          KnownLeaves knownLeaves, IdAllocator ids, MeterRegistry metrics, PartitionTrigger partitions, Tracer tracer,
                          SqlDialect dialect, StateConfig config, ConflictRetry retry) {
        this.pool = pool;
        this.retry = retry;
        this.repo = repo;
        this.rules = rules;
        this.geometry = geometry;
        this.queues = queues;
        this.knownLeaves = knownLeaves;
        this.ids = ids;
        this.metrics = metrics;
        this.partitions = partitions;
        this.tracer = tracer;
        this.storeFamily = dialect.family().name().toLowerCase();
        this.commitPipelined = dialect.family() == StoreFamily.POSTGRESQL;
        this.transactionTimeout = config.rmw().transactionTimeout();
    }

    /** What the attempts at one batch went through. The retried call gets the same instance. */
    public static final class Attempts {
        private int started;
        private final List<String> retryReasons = new ArrayList<>();
        /** Roots a lost attempt found its units need: the next attempt locks them with the others, in order. */
        private final Set<Long> rootsToLock = new TreeSet<>();

        public int started() {
            return started;
        }

        public List<String> retryReasons() {
            return retryReasons;
        }
    }

    /** Results by request id of the units that committed or were refused, and the units to run again. */
    public record Outcome(Map<String, RmwResult> results, List<PlannedUnit> lost) {
    }

    public Uni<Outcome> apply(List<PlannedUnit> units, BatchAttempt.Planning planning, Attempts attempts) {
        return retry.run(() -> oneAttempt(units, planning, attempts));
    }

    /** One attempt in a span of its own, its retry reason counted when it lost a race. */
    private Uni<Outcome> oneAttempt(List<PlannedUnit> units, BatchAttempt.Planning planning, Attempts attempts) {
        int attempt = ++attempts.started;
        return Traced.inSpan(tracer.spanBuilder(SpanNames.RMW_TRANSACTION)
                        .setAttribute(RmwSpans.ATTEMPT, (long) attempt)
                        .setAttribute(RmwSpans.UNITS, (long) units.size())
                        .setAttribute(RmwSpans.STORE_FAMILY, storeFamily)
                        .setAttribute(RmwSpans.PLANNING, planning.name().toLowerCase()),
                span -> attempt(units, planning, attempts.rootsToLock, span)
                        .onFailure().transform(StoreErrors::classify)
                        .onFailure(RetryableStoreException.class).invoke(failure -> {
                            String reason = ((RetryableStoreException) failure).reason();
                            span.setAttribute(RmwSpans.RETRY_REASON, reason);
                            attempts.retryReasons.add(reason);
                            countRetry(reason);
                        }));
    }

    private Uni<Outcome> attempt(List<PlannedUnit> units, BatchAttempt.Planning planning, Set<Long> rootsToLock, Span span) {
        int newIds = units.stream().mapToInt(u -> u.plan().newIds()).sum();
        long now = System.currentTimeMillis();
        return ids.reserve(IdAllocator.ENTITY_IDS, newIds).chain(fresh -> {
            BatchAttempt attempt = new BatchAttempt(repo, rules, geometry, queues, knownLeaves, units, planning, rootsToLock, fresh, now,
                    commitPipelined, span::addEvent);
            return pipelinedTransaction(attempt)
                    .map(results -> new Outcome(results, attempt.lost()))
                    .invoke(() -> {
                        attempt.describe(span);
                        partitions.afterCommit(attempt.cells());
                    })
                    .eventually(() -> queues.release(attempt.admitted()));
        }).ifNoItem().after(transactionTimeout).failWith(() -> {
            LOG.warnf("a transaction of %d units had no answer from the store in %s", units.size(), transactionTimeout);
            return new StoreUnavailableException(new TimeoutException("no answer from the store in " + transactionTimeout));
        });
    }

    /**
     * The attempt on a pooled connection, sending its own BEGIN and COMMIT: a round trip fewer than
     * {@code withTransaction}, and where COMMIT is pipelined too, two fewer and the locks held one
     * round trip less. An attempt that did not end with its COMMIT (a failure, or a timeout while a
     * statement waits for a lock) queues a ROLLBACK behind its statements; its connection goes back
     * to the pool once that is answered, so the next borrower never waits behind a lock wait it did
     * not start.
     */
    private Uni<Map<String, RmwResult>> pipelinedTransaction(BatchAttempt attempt) {
        return pool.getConnection().chain(conn -> {
            AtomicBoolean released = new AtomicBoolean();
            Runnable rollBack = () -> {
                if (released.compareAndSet(false, true)) {
                    repo.rollback(conn).onFailure().recoverWithNull().eventually(conn::close).subscribe().with(
                            done -> { }, failure -> LOG.debugf(failure, "closing a rolled-back connection"));
                }
            };
            return attempt.run(conn)
                    .call(() -> released.compareAndSet(false, true) ? conn.close() : Uni.createFrom().voidItem())
                    .onFailure().invoke(rollBack)
                    .onCancellation().invoke(rollBack);
        });
    }

    private void countRetry(String reason) {
        metrics.counter("gamestate.rmw.retries", "reason", reason.split(":")[0]).increment();
        LOG.debugf("retrying RMW batch: %s", reason);
    }
}
