package io.gamestate.gls.api;

import io.gamestate.gls.client.Downstream;
import io.gamestate.gls.game.GameRefusal;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Why an action failed, in the terms of HTTP statuses, for both player gateways: a refusal is a
 * 4xx a player can read, a downstream that is down, overloaded or too slow a 503 (worth another
 * try), anything else a bug: 500, logged.
 */
public record Problem(int status, String error, String message) {

    private static final Logger LOG = Logger.getLogger(Problem.class);

    public static Problem of(Throwable failure) {
        if (failure instanceof GameRefusal r) {
            int status = switch (r.reason()) {
                case BAD_REQUEST -> 400;
                case FORBIDDEN -> 403;
                case NOT_FOUND -> 404;
                case NOT_ALLOWED -> 409;
                case TOO_MANY -> 429;
            };
            return new Problem(status, r.reason().name().toLowerCase(), r.getMessage());
        }
        if (failure instanceof Downstream.Refused r) {
            int status = switch (r.code()) {
                case NOT_FOUND -> 404;
                case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
                case PERMISSION_DENIED -> 403;
                // state-service sheds load: not the player's doing, and worth another try.
                case RESOURCE_EXHAUSTED -> 503;
                default -> 409;
            };
            return new Problem(status, r.code().name().toLowerCase(), r.getMessage());
        }
        if (isUnavailable(failure)) {
            return new Problem(503, "unavailable", "the game state is unavailable right now, try again: " + failure.getMessage());
        }
        LOG.error("action failed", failure);
        return new Problem(500, "internal", "the game server failed: " + failure.getMessage());
    }

    /** A downstream that is down, too slow or full, or the breaker that keeps the GLS from calling it. */
    public static boolean isUnavailable(Throwable failure) {
        return failure instanceof Downstream.Unavailable || failure instanceof Downstream.TooSlow
                || failure instanceof CircuitBreakerOpenException || failure instanceof BulkheadException;
    }
}
