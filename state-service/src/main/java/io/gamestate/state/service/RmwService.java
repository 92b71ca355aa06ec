package io.gamestate.state.service;

import io.gamestate.common.tracing.RmwSpans;
import io.gamestate.common.tracing.SpanNames;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.repository.StoreErrors;
import io.gamestate.state.repository.StoreUnavailableException;
import io.gamestate.state.rules.RetryableStoreException;
import io.gamestate.state.rules.RuleViolation;
import io.gamestate.state.service.BatchAttempt.Planning;
import io.gamestate.state.rules.Rules;
import io.gamestate.common.tracing.Traced;
import io.grpc.Status;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Entry point of every write: validates units, folds repeated request ids of one batch into one
 * application, lets a copy of a request id already in flight wait for it, runs the rest in one
 * transaction, and answers one result per unit in order.
 */
@ApplicationScoped
public class RmwService {

    private static final Logger LOG = Logger.getLogger(RmwService.class);
    /** Runs of a lost unit planned under the lock before it answers ABORTED; one is the norm. */
    private static final int MAX_RELOCKS = 4;

    private final Rules rules;
    private final RmwTransaction transaction;
    private final MeterRegistry metrics;
    private final int maxBatchSize;
    private final GroupCommit groupCommit;
    private final Tracer tracer;
    private final InFlightRequests inFlight = new InFlightRequests();

    public RmwService(Rules rules, RmwTransaction transaction, MeterRegistry metrics, StateConfig config,
                      Tracer tracer) {
        this.rules = rules;
        this.transaction = transaction;
        this.metrics = metrics;
        this.tracer = tracer;
        this.maxBatchSize = config.rmw().maxBatchSize();
        this.groupCommit = new GroupCommit(this::runBatch, config.rmw().groupCommit().maxTransactions(),
                Math.min(maxBatchSize, config.rmw().groupCommit().maxUnits()), tracer, metrics);
    }

    /**
     * One unit, group-committed with the units that arrive while earlier transactions run. A
     * unit that cannot apply fails with a {@link RuleViolation}; its batch neighbours are not affected.
     */
    public Uni<RmwResult> apply(RmwUnit unit) {
        long start = System.nanoTime();
        return groupCommit.submit(unit).invoke(result -> time(result, start)).map(result -> {
            if (result.getCode() != Status.Code.OK.value()) {
                throw new RuleViolation(Status.fromCodeValue(result.getCode()).getCode(), result.getMessage());
            }
            return result;
        });
    }

    /** A batch from a caller (ApplyBatch): every unit's latency is the whole call's. */
    public Uni<List<RmwResult>> applyBatch(List<RmwUnit> units) {
        long start = System.nanoTime();
        return runBatch(units).invoke(results -> results.forEach(result -> time(result, start)));
    }

    private Uni<List<RmwResult>> runBatch(List<RmwUnit> units) {
        if (units.isEmpty()) {
            return Uni.createFrom().failure(RuleViolation.invalid("batch has no units"));
        }
        if (units.size() > maxBatchSize) {
            return Uni.createFrom().failure(RuleViolation.invalid(
                    "batch has " + units.size() + " units, at most " + maxBatchSize + " are accepted"));
        }
        RmwResult[] results = new RmwResult[units.size()];
        Map<String, Integer> first = new HashMap<>();
        PlannedUnit[] planned = new PlannedUnit[units.size()];
        List<PlannedUnit> toApply = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            try {
                planned[i] = PlannedUnit.of(units.get(i), rules.validate(units.get(i)));
                if (first.putIfAbsent(planned[i].requestId(), i) == null) {
                    toApply.add(planned[i]);
                }
            } catch (RuleViolation violation) {
                results[i] = BatchAttempt.failure(units.get(i).getRequestId(), rules.rule(units.get(i)), violation.code(),
                        violation.getMessage());
            }
        }
        return inFlight.apply(toApply, this::inTransaction).map(byRequest -> {
            for (int i = 0; i < units.size(); i++) {
                if (results[i] == null) {
                    PlannedUnit applying = planned[first.get(planned[i].requestId())];
                    results[i] = answerFor(planned[i], applying, byRequest);
                }
                count(results[i]);
            }
            return Arrays.asList(results);
        });
    }

    /** The batch's span: its size and rules, and how many attempts it took and why. */
    private Uni<Map<String, RmwResult>> inTransaction(List<PlannedUnit> toApply) {
        RmwTransaction.Attempts attempts = new RmwTransaction.Attempts();
        return Traced.inSpan(tracer.spanBuilder(SpanNames.RMW_BATCH)
                        .setAttribute(RmwSpans.UNITS, (long) toApply.size())
                        .setAttribute(RmwSpans.RULES, toApply.stream().map(u -> u.plan().rule().name()).distinct().toList()),
                span -> commit(toApply, Planning.OPTIMISTIC, attempts, 0).onTermination().invoke(() -> {
                    span.setAttribute(RmwSpans.ATTEMPT, (long) attempts.started());
                    span.setAttribute(RmwSpans.RETRIES, (long) attempts.retryReasons().size());
                    if (!attempts.retryReasons().isEmpty()) {
                        span.setAttribute(RmwSpans.RETRY_REASONS, attempts.retryReasons());
                    }
                }));
    }

    /**
     * Commits the units so that each one's answer depends on that unit alone. Units an attempt
     * could not plan under its locks run again, planned under the lock. An attempt that fails
     * as a whole for any reason but an unreachable store is split in halves down to the unit
     * that fails it, which alone gets the failure as its answer.
     */
    private Uni<Map<String, RmwResult>> commit(List<PlannedUnit> units, Planning planning, RmwTransaction.Attempts attempts,
                                               int relocks) {
        return transaction.apply(units, planning, attempts)
                .onFailure(failure -> !(failure instanceof StoreUnavailableException))
                .recoverWithUni(failure -> isolate(units, planning, attempts, relocks, failure)
                        .map(results -> new RmwTransaction.Outcome(results, List.of())))
                .chain(outcome -> {
                    if (outcome.lost().isEmpty()) {
                        return Uni.createFrom().item(outcome.results());
                    }
                    if (relocks == MAX_RELOCKS) {
                        Map<String, RmwResult> results = new HashMap<>(outcome.results());
                        outcome.lost().forEach(u -> results.put(u.requestId(), BatchAttempt.failure(u, Status.Code.ABORTED,
                                "the unit's rows kept changing owner while its locks were taken, " + MAX_RELOCKS + " times")));
                        return Uni.createFrom().item(results);
                    }
                    metrics.counter("gamestate.rmw.replanned").increment(outcome.lost().size());
                    return commit(outcome.lost(), Planning.UNDER_LOCK, attempts, relocks + 1)
                            .map(more -> merged(outcome.results(), more));
                });
    }

    private Uni<Map<String, RmwResult>> isolate(List<PlannedUnit> units, Planning planning, RmwTransaction.Attempts attempts,
                                                int relocks, Throwable failure) {
        if (units.size() > 1) {
            List<PlannedUnit> left = units.subList(0, units.size() / 2);
            List<PlannedUnit> right = units.subList(units.size() / 2, units.size());
            return commit(left, planning, attempts, relocks)
                    .chain(l -> commit(right, planning, attempts, relocks).map(r -> merged(l, r)));
        }
        PlannedUnit unit = units.get(0);
        if (failure instanceof RetryableStoreException && planning == Planning.OPTIMISTIC) {
            return commit(units, Planning.UNDER_LOCK, attempts, relocks);
        }
        return Uni.createFrom().item(Map.of(unit.requestId(), failureOf(unit, failure)));
    }

    /** What a unit that failed its transaction on its own answers. */
    private static RmwResult failureOf(PlannedUnit unit, Throwable failure) {
        if (failure instanceof RetryableStoreException conflict) {
            return BatchAttempt.failure(unit, Status.Code.ABORTED, "conflict persisted through every retry: " + conflict.reason());
        }
        if (StoreErrors.isRefusedValue(failure)) {
            return BatchAttempt.failure(unit, Status.Code.INVALID_ARGUMENT, "the store refused a value of this unit: "
                    + failure.getMessage());
        }
        LOG.errorf(failure, "unit %s failed its transaction", unit.requestId());
        return BatchAttempt.failure(unit, Status.Code.INTERNAL, "state service failed on this unit: " + failure);
    }

    private static Map<String, RmwResult> merged(Map<String, RmwResult> a, Map<String, RmwResult> b) {
        Map<String, RmwResult> out = new HashMap<>(a);
        out.putAll(b);
        return out;
    }

    /** Latency per rule, from arrival here to result: a histogram, so p99 per rule is in /q/metrics. */
    private void time(RmwResult result, long startNanos) {
        Timer.builder("gamestate.rmw.latency").tag("rule", result.getRule().name())
                .publishPercentileHistogram().register(metrics)
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private void count(RmwResult result) {
        metrics.counter("gamestate.rmw.units", "rule", result.getRule().name(),
                "code", Status.fromCodeValue(result.getCode()).getCode().name(),
                "replayed", Boolean.toString(result.getReplayed())).increment();
    }

    /** The result of the unit that applied; a repeat of its request id in the batch replays it. */
    private static RmwResult answerFor(PlannedUnit unit, PlannedUnit applying, Map<String, RmwResult> applied) {
        RmwResult result = applied.get(applying.requestId());
        if (unit == applying) {
            return result;
        }
        if (unit.fingerprint() != applying.fingerprint()) {
            return BatchAttempt.failure(unit, Status.Code.ALREADY_EXISTS,
                    "request id " + unit.requestId() + " appears twice in the batch with different units");
        }
        return result.getCode() == Status.Code.OK.value() ? result.toBuilder().setReplayed(true).build() : result;
    }
}
