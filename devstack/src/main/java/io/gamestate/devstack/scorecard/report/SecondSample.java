package io.gamestate.devstack.scorecard.report;

/** One row of a result's per-second CSV ({@code second,throughput,p50_ms,p99_ms,errors}). */
public record SecondSample(int second, double throughput, double p50Ms, double p99Ms, long errors) {
}
