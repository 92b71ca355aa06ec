package io.gamestate.devstack.scorecard;

import java.util.List;
import java.util.Map;

/** One scenario of the scorecard: it measures, the scorecard adds the store, the suite and the resources. */
public interface Scenario {

    /** As on the command line and in file names: game-mix, contended-transfers... */
    String name();

    String title();

    /** What it was run with, for the report. */
    Map<String, Object> parameters();

    Outcome run(ScenarioContext context) throws Exception;

    /** Rows measured, figures derived from them, invariants checked. */
    record Outcome(List<ScenarioReport.Result> results, Map<String, Double> findings, List<ScenarioReport.Check> checks) {
    }
}
