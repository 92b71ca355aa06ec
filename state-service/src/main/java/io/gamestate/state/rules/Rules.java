package io.gamestate.state.rules;

import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import io.quarkus.arc.All;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every rule's handler by the {@code RmwUnit} oneof case. Built at start-up, and refuses to
 * start when a rule of the contract has no handler or two: a new rule in state.proto fails the
 * first test, not a player's unit.
 */
@Startup
@ApplicationScoped
public class Rules {

    static final int MAX_REQUEST_ID_LENGTH = 64;

    private final Map<RmwUnit.RuleCase, RuleHandler<?>> handlers = new EnumMap<>(RmwUnit.RuleCase.class);

    public Rules(@All List<RuleHandler<?>> all) {
        for (RuleHandler<?> handler : all) {
            RuleHandler<?> twin = handlers.put(handler.ruleCase(), handler);
            if (twin != null) {
                throw new IllegalStateException("rule " + handler.ruleCase() + " has two handlers: "
                        + twin.getClass().getSimpleName() + " and " + handler.getClass().getSimpleName());
            }
        }
        for (RmwUnit.RuleCase ruleCase : RmwUnit.RuleCase.values()) {
            if (ruleCase != RmwUnit.RuleCase.RULE_NOT_SET && !handlers.containsKey(ruleCase)) {
                throw new IllegalStateException("rule " + ruleCase + " of state.proto has no RuleHandler");
            }
        }
    }

    /** Checks the unit before any read (request id and rule), and says what it will touch. */
    public AccessPlan validate(RmwUnit unit) {
        String requestId = unit.getRequestId();
        if (requestId.isBlank()) {
            throw RuleViolation.invalid("request_id is required: it makes retries apply once");
        }
        if (requestId.length() > MAX_REQUEST_ID_LENGTH) {
            throw RuleViolation.invalid("request_id is longer than " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        Checks.storable(requestId, "request_id");
        return handler(unit).validateAndPlan(unit);
    }

    public void apply(WorkingSet ws, RmwUnit unit) {
        handler(unit).apply(ws, unit);
    }

    /** The unit's rule, for results and metrics; a unit with none is RULE_UNSPECIFIED. */
    public Rule rule(RmwUnit unit) {
        RuleHandler<?> handler = handlers.get(unit.getRuleCase());
        return handler == null ? Rule.RULE_UNSPECIFIED : handler.rule();
    }

    private RuleHandler<?> handler(RmwUnit unit) {
        RuleHandler<?> handler = handlers.get(unit.getRuleCase());
        if (handler == null) {
            throw RuleViolation.invalid("unit " + unit.getRequestId() + " has no rule");
        }
        return handler;
    }
}
