package io.gamestate.devstack.scorecard;

import io.gamestate.devstack.faults.Checker;
import io.gamestate.devstack.faults.History;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fault scenario's checked history as scorecard figures: the load as one row (its per-second
 * series shows each fault's dip), each fault's timing as findings
 * ({@code <fault>.firstOkMs}, {@code .fullThroughputMs}, {@code .okPerSecondBefore},
 * {@code .okPerSecondDuring}, which the criteria rows read), the checker's verdict as a check.
 * The PostgreSQL failover drill and the Galera fault scenario both report this way.
 */
public final class FaultOutcome {

    private FaultOutcome() {
    }

    /** Every recorded unit from the load's start, as the row {@code fault-load}. */
    public static ScenarioReport.Result loadRow(ScenarioContext context, History.Recorded history, long loadStartMillis,
                                                Map<String, Object> labels) throws IOException {
        WindowRecorder recorder = new WindowRecorder(TimeUnit.MILLISECONDS.toNanos(loadStartMillis));
        for (History.Entry e : history.entries()) {
            long start = TimeUnit.MILLISECONDS.toNanos(e.startMillis());
            recorder.call(start, TimeUnit.MILLISECONDS.toNanos(Math.max(e.endMillis(), e.startMillis())), 1);
            if (e.outcome() != History.Outcome.OK) {
                recorder.error(start, e.statusCode());
            }
        }
        return context.result("fault-load", labels, "RMW-units", recorder);
    }

    /** Per fault its window and timing, then the checker's counts. */
    public static Map<String, Double> findings(Checker.Report report) {
        Map<String, Double> findings = new LinkedHashMap<>();
        for (Checker.FaultTiming t : report.faults()) {
            findings.put(t.fault() + ".durationMs", (double) t.durationMillis());
            if (t.firstOkMillis() != null) {
                findings.put(t.fault() + ".firstOkMs", (double) t.firstOkMillis());
            }
            if (t.fullThroughputMillis() != null) {
                findings.put(t.fault() + ".fullThroughputMs", (double) t.fullThroughputMillis());
            }
            findings.put(t.fault() + ".okPerSecondBefore", t.okPerSecondBefore());
            findings.put(t.fault() + ".okPerSecondDuring", t.okPerSecondDuring());
        }
        findings.put("units", (double) report.units());
        findings.put("acknowledged", (double) report.acknowledged());
        findings.put("unknown", (double) report.unknown());
        findings.put("violations", (double) report.violationCount());
        return findings;
    }

    /** The checker's verdict, with its counts and, when it fails, the violations. */
    public static ScenarioReport.Check verdict(Checker.Report report) {
        return new ScenarioReport.Check("checker: acknowledged units stored, refused ones absent, unknown ones once at most, "
                + "gold and amounts conserved, counters and change log exact", report.holds(),
                report.units() + " units, " + report.acknowledged() + " acknowledged, " + report.unknown() + " unknown "
                        + report.unknownResolved() + ", gold " + report.goldBefore() + " -> " + report.goldAfter()
                        + (report.holds() ? "" : "; violations " + report.violations() + ", e.g. " + report.examples()));
    }
}
