package io.gamestate.devstack.scorecard.report;

import io.gamestate.devstack.scorecard.ScenarioReport;
import io.gamestate.devstack.scorecard.ScenarioReport.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One scenario file as read: the report and, for each of its results, the per-second series. */
public record ScenarioRun(Path file, ScenarioReport report, List<Row> rows) {

    /** A result with its seconds (empty when the result names no series). */
    public record Row(Result result, List<SecondSample> seconds) {
    }

    public String store() {
        return report.store().label();
    }

    public String scenario() {
        return report.scenario().name();
    }

    /** The scenario's GLS count (parameter {@code glsCount}), 1 when it does not say. */
    public int glsCount() {
        Map<String, Object> parameters = report.scenario().parameters();
        return parameters != null && parameters.get("glsCount") instanceof Number n ? n.intValue() : 1;
    }

    /** A result's numeric label (alpha, rate, glsCount, worldEntities), NaN when absent. */
    public static double label(Result result, String name) {
        Object value = result.labels() == null ? null : result.labels().get(name);
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
