package io.gamestate.devstack.scorecard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What one scenario measured on one store: the file {@code target/scorecard/<store>/<scenario>.json}
 * that the scorecard report reads. Its schema is {@code scorecard/scenario-report.schema.json}
 * (devstack's resources); change both together.
 *
 * @param store       the store measured and the settings of it that matter
 * @param suite       the suite's side: commit, tracing, pool and group-commit settings, machine
 * @param scenario    which scenario, with its parameters
 * @param startedAt   ISO-8601 instant the scenario started
 * @param results     one row per variant measured (a mode, an alpha, a rate, a GLS count...)
 * @param findings    figures derived from the rows (the ramp's highest rate within its bound,
 *                    ratios to the bare store); name to number
 * @param resources   what the store's processes and each service used over the scenario
 * @param checks      invariants checked after the scenario (gold conserved...)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScenarioReport(
        String schema,
        Store store,
        Suite suite,
        Scenario scenario,
        String startedAt,
        List<Result> results,
        Map<String, Double> findings,
        Resources resources,
        List<Check> checks) {

    public static final String SCHEMA = "gamestate-scorecard-scenario/1";

    /**
     * @param label    the name the scorecard gives the store: embedded, postgres, mariadb, galera...
     * @param family   postgresql or mysql
     * @param product  the server's own version string ({@code SELECT version()})
     * @param settings the store's knobs as the server reports them (isolation, synchronous_commit...)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Store(String label, String family, String product, Map<String, String> settings) {
    }

    /**
     * @param commit   the suite's git commit, or "unknown"
     * @param tracing  whether the services traced (OpenTelemetry on)
     * @param settings the services' settings that matter, as they report them (pool size, group commit...)
     * @param machine  cores, memory, OS, Java of the machine that ran everything
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Suite(String commit, boolean tracing, Map<String, String> settings, Map<String, String> machine) {
    }

    /**
     * @param name       game-mix, contended-transfers, hot-cell, reads-under-writes, ramp, gls-scaling
     * @param title      a human title
     * @param parameters the scenario's parameters (durations, players, concurrency...)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scenario(String name, String title, Map<String, Object> parameters) {
    }

    /**
     * One measured variant.
     *
     * @param variant         what ran: single, batched, bare-sql, bare-procedure, box, ramp, gls...
     * @param labels          what distinguishes rows of the same variant: alpha, rate, glsCount, worldEntities
     * @param unit            what throughput counts: RMW-units, transfers, queries, requests
     * @param seconds         length of the measured window
     * @param operations      operations in the window, failed ones included
     * @param throughput      operations per second
     * @param goodput         successful operations per second
     * @param latencyMs       per call: p50, p95, p99, p99.9, max, mean
     * @param answersByCode   every answer by status code (OK included), gRPC names or HTTP codes
     * @param retriesByClass  attempts retried inside the service or driver, by cause
     * @param abortsByClass   transactions the store aborted, by cause
     * @param series          the per-second CSV of this row, relative to the JSON file
     * @param cpuCores        cores in use on average over the measured window, by watched process (its
     *                        children counted in) and for the whole machine ({@code machine}); absent where
     *                        the scenario does not measure it per row
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(
            String variant,
            Map<String, Object> labels,
            String unit,
            double seconds,
            long operations,
            double throughput,
            double goodput,
            Latency latencyMs,
            Map<String, Long> answersByCode,
            Map<String, Long> retriesByClass,
            Map<String, Long> abortsByClass,
            String series,
            Map<String, Double> cpuCores) {
    }

    /** Latency per call, milliseconds. */
    public record Latency(double p50, double p95, double p99, @JsonProperty("p99.9") double p999, double max, double mean) {
    }

    /**
     * @param store    the store's processes together
     * @param services each service by name (state-service, query-service, gls-service, gls-service-2...)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(Usage store, Map<String, Usage> services) {
    }

    /**
     * @param cpuSeconds  user + system CPU time over the scenario
     * @param peakRssMiB  highest resident memory sampled each second (the sum over the processes)
     * @param logBytes    bytes of WAL (PostgreSQL) or redo log (InnoDB) written; null for services
     * @param binlogBytes bytes of binary log written (MySQL family with the binlog on); null otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Usage(double cpuSeconds, double peakRssMiB, Long logBytes, Long binlogBytes) {
    }

    /** An invariant checked after the scenario. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(String name, boolean holds, String detail) {
    }
}
