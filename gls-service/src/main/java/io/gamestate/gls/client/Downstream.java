package io.gamestate.gls.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;

/**
 * What a failed call to state-service or query-service means for the GLS:
 * <ul>
 * <li>{@link Refused}: the game said no (bad input, a rule, a conflict that outlived the store's own
 * retries); retrying would get the same answer.
 * <li>{@link Unavailable}: the service is down or shedding load ({@code UNAVAILABLE}); the only
 * failure retried, since every unit carries its request id and a re-sent unit is replayed.
 * <li>{@link TooSlow}: no answer within the deadline; not retried (it would add load to a slow
 * service) but, like {@link Unavailable}, counted by the circuit breaker.
 * <li>{@link Failed}: a bug on the other side ({@code INTERNAL}, {@code UNKNOWN}...): neither retried
 * nor counted by the breaker, so one bad request does not open it for every player.
 * </ul>
 */
public final class Downstream {

    private static final Set<Status.Code> FAILED = Set.of(Status.Code.INTERNAL, Status.Code.UNKNOWN,
            Status.Code.DATA_LOSS, Status.Code.UNIMPLEMENTED, Status.Code.CANCELLED);

    private Downstream() {
    }

    public static Throwable classify(String service, Throwable failure) {
        if (!(failure instanceof StatusRuntimeException s)) {
            return failure;
        }
        Status status = s.getStatus();
        String message = service + " " + status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        if (status.getCode() == Status.Code.UNAVAILABLE) {
            return new Unavailable(message, failure);
        }
        if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return new TooSlow(message, failure);
        }
        if (FAILED.contains(status.getCode())) {
            return new Failed(message, failure);
        }
        return new Refused(status.getCode(), status.getDescription());
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

    /** The downstream service is down or sheds load: worth another try. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The downstream service did not answer within the deadline. */
    public static final class TooSlow extends RuntimeException {
        public TooSlow(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The downstream service failed on this request (a bug there, not an outage). */
    public static final class Failed extends RuntimeException {
        public Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
