package io.gamestate.gls.game;

/** The GLS itself says no (a teleport, a target out of range, a foreign avatar): nothing is sent on. */
public class GameRefusal extends RuntimeException {

    public enum Reason { BAD_REQUEST, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, TOO_MANY }

    private final Reason reason;

    public GameRefusal(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
