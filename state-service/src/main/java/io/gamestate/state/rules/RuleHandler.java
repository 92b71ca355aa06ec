package io.gamestate.state.rules;

import com.google.protobuf.Message;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import java.util.function.Function;

/**
 * One game rule, whole, in one class: the checks its unit must pass before any read
 * (INVALID_ARGUMENT), what it names, locks and reads ({@link AccessPlan}), and what it does to the
 * rows of a {@link WorkingSet}. Applying may throw a {@link RuleViolation} at any point: the
 * working set undoes the unit. A rule changes entity rows only; counters, aggregates, versions
 * and the change log follow from those changes.
 *
 * @param <R> the rule's message in the {@code RmwUnit} oneof
 */
public abstract class RuleHandler<R extends Message> {

    private final RmwUnit.RuleCase ruleCase;
    private final Rule rule;
    private final Function<RmwUnit, R> message;

    protected RuleHandler(RmwUnit.RuleCase ruleCase, Rule rule, Function<RmwUnit, R> message) {
        this.ruleCase = ruleCase;
        this.rule = rule;
        this.message = message;
    }

    public final RmwUnit.RuleCase ruleCase() {
        return ruleCase;
    }

    public final Rule rule() {
        return rule;
    }

    /** Checks the unit's shape and says what it will touch. */
    public final AccessPlan validateAndPlan(RmwUnit unit) {
        R r = message.apply(unit);
        validate(r);
        return plan(AccessPlan.of(rule), r).build();
    }

    public final void apply(WorkingSet ws, RmwUnit unit) {
        apply(ws, message.apply(unit));
    }

    /** What is wrong with the message needs no row to know: throw {@link RuleViolation#invalid}. */
    protected abstract void validate(R r);

    protected abstract AccessPlan.Builder plan(AccessPlan.Builder plan, R r);

    protected abstract void apply(WorkingSet ws, R r);
}
