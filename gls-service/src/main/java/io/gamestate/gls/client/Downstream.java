package io.gamestate.gls.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;

/**
 * What a failed call to state-service or query-service means for the GLS: the game said no
 * ({@link Refused}: bad input, a rule), or the service could not answer ({@link Unavailable}:
 * down, overloaded, too slow). Only the second is retried and opens the circuit breaker.
 */
public final class Downstream {

    private static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.ABORTED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNKNOWN, Status.Code.INTERNAL,
            Status.Code.CANCELLED);

    private Downstream() {
    }

    public static Throwable classify(String service, Throwable failure) {
        if (failure instanceof StatusRuntimeException s) {
            Status status = s.getStatus();
            if (!TRANSIENT.contains(status.getCode())) {
                return new Refused(status.getCode(), status.getDescription());
            }
            return new Unavailable(service + " " + status.getCode() + (status.getDescription() == null ? "" : ": "
                    + status.getDescription()), failure);
        }
        return failure;
    }

    /** The downstream service refused the request; retrying it would get the same answer. */
    public static final class Refused extends RuntimeException {
        private final Status.Code code;

        public Refused(Status.Code code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public Status.Code code() {
            return code;
        }
    }

    /** The downstream service did not answer in time or is down. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
