package io.gamestate.devstack.scorecard.report;

/** How a measured cell stands against its target; the CSS class and legend of each. */
public enum Status {
    MET("met", "met the target"),
    NEAR("near", "near: within 20 % of the target"),
    MISSED("missed", "missed the target"),
    INFO("info", "measured, no target"),
    NOT_MEASURED("not-measured", "not measured");

    public final String css;
    public final String legend;

    Status(String css, String legend) {
        this.css = css;
        this.legend = legend;
    }

    /** The worse of two, so a cell of several figures shows its weakest. */
    public Status worse(Status other) {
        return other.ordinal() > ordinal() && other.ordinal() <= MISSED.ordinal() ? other : this;
    }
}
