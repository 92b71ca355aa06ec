package io.gamestate.state.rules;

/**
 * The attempt lost a race (serialization failure, deadlock, lock wait timeout, a concurrent twin
 * request, a cell split under it) and may simply run again: nothing of it was committed.
 */
public class RetryableStoreException extends RuntimeException {

    private final String reason;

    public RetryableStoreException(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
