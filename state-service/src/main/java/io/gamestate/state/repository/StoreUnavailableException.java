package io.gamestate.state.repository;

/**
 * The store could not be reached or dropped the connection (refused, reset, shut down, starting
 * up). Callers get UNAVAILABLE: try again later. A unit caught by it may or may not have
 * committed; its retry with the same request id applies it at most once either way.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(Throwable cause) {
        super("store unavailable: " + describe(cause), cause);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
