package io.gamestate.devstack.scorecard.report;

import java.util.List;
import java.util.Map;

/**
 * The criteria table: a column per store (measured here or not runnable here), the measured
 * criteria with a coloured cell per column, then the documented ones with a sourced fact per column.
 */
public record Scorecard(List<Column> columns, List<MeasuredCriterion> measured, List<DocumentedCriterion> documented,
                        String documentedChecked) {

    /**
     * @param key       store label (measured) or product id (not runnable here)
     * @param title     what the header shows
     * @param notRunnableReason why it was not measured here; null for a measured store
     */
    public record Column(String key, String title, String notRunnableReason) {
        public boolean measuredHere() {
            return notRunnableReason == null;
        }
    }

    public record MeasuredCriterion(String name, String target, Map<String, Cell> cells) {
    }

    public record DocumentedCriterion(String name, Map<String, DocumentedFacts.Fact> cells) {
    }
}
