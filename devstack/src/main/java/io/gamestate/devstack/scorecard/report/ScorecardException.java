package io.gamestate.devstack.scorecard.report;

/** A scorecard input that cannot be reported on: its message names the file and what is wrong. */
public class ScorecardException extends RuntimeException {

    public ScorecardException(String message) {
        super(message);
    }

    public ScorecardException(String message, Throwable cause) {
        super(message, cause);
    }
}
