package io.gamestate.devstack.scorecard.report;

/**
 * The one home of the scorecard's targets. The studio's come from its action plan (Phase 2 and
 * Section 4); the two marked "suite's" are bounds this suite sets where the studio names the
 * criterion but no figure.
 */
public final class Targets {

    /** A figure within this fraction of its target on the wrong side is "near", not "missed". */
    public static final double NEAR_FRACTION = 0.20;

    /** Studio: ~1,000 RMW-units/s per GLS. */
    public static final double RMW_UNITS_PER_GLS = 1_000;
    /** Studio: p99 of an RMW 7-15 ms; the upper end is the bound. */
    public static final double RMW_P99_MS = 15;
    /** Zipf 1.5: singles through the suite against the bare store's stored procedure. */
    public static final double ZIPF_SINGLE_VS_PROCEDURE = 2.0;
    /** Zipf 1.5: batched through the suite against the stored procedure. */
    public static final double ZIPF_BATCHED_VS_PROCEDURE = 4.0;
    /** Uniform pairs: singles against plain SQL on the bare store. */
    public static final double UNIFORM_SINGLE_VS_SQL = 1.0;
    /** Uniform pairs: batched against the stored procedure. */
    public static final double UNIFORM_BATCHED_VS_PROCEDURE = 1.0;
    /** Box query p99 at every world size. */
    public static final double BOX_QUERY_P99_MS = 5;
    /** Suite's: "flat" from 10k to 1M entities = p99 at the largest world at most this times the smallest. */
    public static final double BOX_QUERY_FLATNESS = 1.5;
    /** Hot cell p99. */
    public static final double HOT_CELL_P99_MS = 50;
    /** Ramp: the p99 bound a rate must keep to count. */
    public static final double RAMP_P99_MS = 15;
    /** Ramp: highest rate within that bound, per GLS. */
    public static final double RAMP_RATE_PER_GLS = 2_000;
    /** Suite's: throughput at N GLS at least this fraction of N times one GLS's. */
    public static final double GLS_SCALING_EFFICIENCY = 0.8;
    /** Suite's: commit-to-consumer lag p99 of change streams and of the log capture's bus, under the game mix. */
    public static final double CDC_LAG_P99_MS = 100;
    /** Suite's: RMW throughput with the log capture running at least this fraction of without. */
    public static final double CDC_THROUGHPUT_RATIO = 0.9;

    private Targets() {
    }

    /** A figure where more is better against its target. */
    public static Status atLeast(double value, double target) {
        if (Double.isNaN(value)) {
            return Status.NOT_MEASURED;
        }
        if (value >= target) {
            return Status.MET;
        }
        return value >= target * (1 - NEAR_FRACTION) ? Status.NEAR : Status.MISSED;
    }

    /** A figure where less is better against its bound. */
    public static Status atMost(double value, double bound) {
        if (Double.isNaN(value)) {
            return Status.NOT_MEASURED;
        }
        if (value <= bound) {
            return Status.MET;
        }
        return value <= bound * (1 + NEAR_FRACTION) ? Status.NEAR : Status.MISSED;
    }
}
