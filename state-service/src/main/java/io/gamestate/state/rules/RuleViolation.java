package io.gamestate.state.rules;

import io.grpc.Status;

/** A unit that cannot apply: bad input or a game rule says no. Nothing of the unit is written. */
public class RuleViolation extends RuntimeException {

    private final Status.Code code;

    public RuleViolation(Status.Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Status.Code code() {
        return code;
    }

    public static RuleViolation invalid(String message) {
        return new RuleViolation(Status.Code.INVALID_ARGUMENT, message);
    }

    public static RuleViolation notFound(String message) {
        return new RuleViolation(Status.Code.NOT_FOUND, message);
    }

    public static RuleViolation precondition(String message) {
        return new RuleViolation(Status.Code.FAILED_PRECONDITION, message);
    }
}
