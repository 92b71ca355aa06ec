package io.gamestate.devstack.scorecard;

import io.gamestate.devstack.PgReplicaCommand;
import io.gamestate.devstack.transfers.BareStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * A primary with a streaming standby (devstack pg-replica): the game mix's single calls with
 * asynchronous and with synchronous replication, twice each (async, sync, sync, async), switched on the primary between windows
 * ({@code synchronous_standby_names}; {@code synchronous_commit} stays {@code on}: a commit waits
 * until the standby has flushed it), so the cost of synchronous replication is measured in one
 * run; and during each window the standby's replay lag: how stale a query-service reading from the
 * standby is. Skipped when no standby is given.
 */
final class Replication implements Scenario {

    static final long LAG_SAMPLE_EVERY_MILLIS = 20;
    static final int ROUNDS = 2;
    static final String ASYNC = "async";
    static final String SYNC = "sync";

    private final GameMix gameMix;
    private final BareStore standby;

    Replication(GameMix gameMix, BareStore standby) {
        this.gameMix = gameMix;
        this.standby = standby;
    }

    @Override
    public String name() {
        return "replication";
    }

    @Override
    public String title() {
        return "Replication: the game mix with asynchronous and synchronous streaming to a standby, the standby's lag";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("standby", standby.host() + ":" + standby.port());
        p.put("modes", "asynchronous, then synchronous (synchronous_standby_names = '" + PgReplicaCommand.STANDBY_NAME
                + "', synchronous_commit = on), in the order async, sync, sync, async");
        p.put("load", "game mix, single ApplyRmw calls");
        p.put("lagSampleEveryMs", LAG_SAMPLE_EVERY_MILLIS);
        return p;
    }

    @Override
    public Outcome run(ScenarioContext context) throws Exception {
        BareStore primary = context.store();
        String configured = synchronousStandbyNames(primary);
        List<ScenarioReport.Result> results = new ArrayList<>();
        Map<String, Histogram> lagByMode = new LinkedHashMap<>();
        try {
            gameMix.warm(context);
            // Each mode twice in the order async, sync, sync, async: a trend over the run (a warming JIT, a
            // store settling, the machine's other load) then weighs on both modes alike.
            for (int round = 1; round <= ROUNDS; round++) {
                for (String mode : round % 2 == 1 ? List.of(ASYNC, SYNC) : List.of(SYNC, ASYNC)) {
                    replicate(primary, mode.equals(SYNC) ? PgReplicaCommand.STANDBY_NAME : "");
                    WindowRecorder recorder;
                    try (ReplicaLag probe = new ReplicaLag(primary, standby, LAG_SAMPLE_EVERY_MILLIS)) {
                        recorder = gameMix.window(context, false);
                        lagByMode.computeIfAbsent(mode, m -> new Histogram(3)).add(probe.stop());
                    }
                    results.add(context.result("single", Map.of("replication", mode, "round", round), "RMW-units", recorder));
                }
            }
        } finally {
            replicate(primary, configured);
        }
        Map<String, Double> findings = new LinkedHashMap<>();
        lagByMode.forEach((mode, lag) -> {
            findings.put("replicaLagP50Ms." + mode, lag.getValueAtPercentile(50) / 1000.0);
            findings.put("replicaLagP99Ms." + mode, lag.getValueAtPercentile(99) / 1000.0);
            findings.put("replicaLagMaxMs." + mode, lag.getMaxValue() / 1000.0);
            findings.put("replicaLagSamples." + mode, (double) lag.getTotalCount());
        });
        findings.put("syncThroughputRatio", mean(results, SYNC, ScenarioReport.Result::goodput)
                / mean(results, ASYNC, ScenarioReport.Result::goodput));
        findings.put("syncP99Ratio", mean(results, SYNC, r -> r.latencyMs().p99()) / mean(results, ASYNC, r -> r.latencyMs().p99()));
        return new Outcome(results, findings, List.of());
    }

    private static double mean(List<ScenarioReport.Result> results, String mode, ToDoubleFunction<ScenarioReport.Result> figure) {
        return results.stream().filter(r -> mode.equals(r.labels().get("replication"))).mapToDouble(figure).average().orElseThrow();
    }

    private static String synchronousStandbyNames(BareStore primary) throws SQLException {
        try (Connection c = primary.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW synchronous_standby_names")) {
            rs.next();
            String names = rs.getString(1);
            c.commit();
            return names;
        }
    }

    /** Sets synchronous_standby_names on the primary and waits until the standby streams in that mode. */
    private static void replicate(BareStore primary, String names) throws SQLException, InterruptedException {
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);  // ALTER SYSTEM cannot run in a transaction
            s.execute("ALTER SYSTEM SET synchronous_standby_names = '" + names.replace("'", "''") + "'");
            s.execute("SELECT pg_reload_conf()");
            String wanted = names.isEmpty() ? "async" : "sync";
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try (ResultSet rs = s.executeQuery("SELECT sync_state FROM pg_stat_replication WHERE application_name = '"
                        + PgReplicaCommand.STANDBY_NAME + "'")) {
                    if (rs.next() && wanted.equals(rs.getString(1))) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the standby does not stream " + wanted + "hronously 30 s after the change");
                }
                Thread.sleep(50);
            }
        }
    }
}
