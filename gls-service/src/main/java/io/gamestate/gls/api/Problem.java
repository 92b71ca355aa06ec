package io.gamestate.gls.api;

import io.gamestate.gls.client.Downstream;
import io.gamestate.gls.game.GameRefusal;
import io.grpc.Status;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/** Why an action failed, in the terms of HTTP statuses, for both gateways. */
public record Problem(int status, String error, String message) {

    private static final Logger LOG = Logger.getLogger(Problem.class);

    public static Problem of(Throwable failure) {
        if (failure instanceof GameRefusal r) {
            int status = switch (r.reason()) {
                case BAD_REQUEST -> 400;
                case FORBIDDEN -> 403;
                case NOT_ALLOWED -> 409;
                case TOO_MANY -> 429;
            };
            return new Problem(status, r.reason().name().toLowerCase(), r.getMessage());
        }
        if (failure instanceof Downstream.Refused r) {
            int status = r.code() == Status.Code.NOT_FOUND ? 404 : r.code() == Status.Code.INVALID_ARGUMENT ? 400 : 409;
            return new Problem(status, r.code().name().toLowerCase(), r.getMessage());
        }
        if (failure instanceof Downstream.Unavailable || failure instanceof CircuitBreakerOpenException
                || failure instanceof BulkheadException || failure instanceof TimeoutException) {
            return new Problem(503, "unavailable", "the game state is unavailable right now, try again: " + failure.getMessage());
        }
        LOG.error("action failed", failure);
        return new Problem(500, "internal", "the game server failed: " + failure.getMessage());
    }
}
