package io.gamestate.devstack.scorecard.report;

/** One store's cell of a measured criterion: its status and the figures behind it. */
public record Cell(Status status, String text) {

    public static Cell notMeasured(String why) {
        return new Cell(Status.NOT_MEASURED, why);
    }
}
