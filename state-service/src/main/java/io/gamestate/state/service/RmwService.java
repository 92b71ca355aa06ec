package io.gamestate.state.service;

import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.rules.RuleViolation;
import io.gamestate.state.rules.UnitValidator;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of every write: validates units, folds repeated request ids of one batch into one
 * application, runs the rest in one transaction, and answers one result per unit in order.
 */
@ApplicationScoped
public class RmwService {

    private final UnitValidator validator;
    private final RmwTransaction transaction;
    private final MeterRegistry metrics;
    private final int maxBatchSize;
    private final GroupCommit groupCommit;

    public RmwService(UnitValidator validator, RmwTransaction transaction, MeterRegistry metrics, StateConfig config) {
        this.validator = validator;
        this.transaction = transaction;
        this.metrics = metrics;
        this.maxBatchSize = config.rmw().maxBatchSize();
        this.groupCommit = new GroupCommit(this::applyBatch, config.rmw().groupCommit().maxTransactions(),
                Math.min(maxBatchSize, config.rmw().groupCommit().maxUnits()));
    }

    /**
     * One unit, group-committed with the units that arrive while earlier transactions run. A
     * unit that cannot apply fails with a {@link RuleViolation}; its batch neighbours are not affected.
     */
    public Uni<RmwResult> apply(RmwUnit unit) {
        return groupCommit.submit(unit).map(result -> {
            if (result.getCode() != Status.Code.OK.value()) {
                throw new RuleViolation(Status.fromCodeValue(result.getCode()).getCode(), result.getMessage());
            }
            return result;
        });
    }

    public Uni<List<RmwResult>> applyBatch(List<RmwUnit> units) {
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
                validator.validate(units.get(i));
                planned[i] = PlannedUnit.of(units.get(i));
                if (first.putIfAbsent(planned[i].requestId(), i) == null) {
                    toApply.add(planned[i]);
                }
            } catch (RuleViolation violation) {
                results[i] = BatchAttempt.failure(PlannedUnit.of(units.get(i)), violation.code(), violation.getMessage());
            }
        }
        Uni<Map<String, RmwResult>> applied = toApply.isEmpty()
                ? Uni.createFrom().item(Map.of())
                : transaction.apply(toApply);
        return applied.map(byRequest -> {
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
