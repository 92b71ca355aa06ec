package io.gamestate.devstack.scorecard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gamestate.devstack.faults.Checker;
import io.gamestate.devstack.faults.History;
import io.gamestate.devstack.transfers.BareStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A fault scenario on a multi-node store of its own ({@code devstack faults}) as the scorecard's
 * {@code node-outage} scenario of that store: the same row, findings and checker verdict as the
 * failover drill ({@link FaultOutcome}), so the criteria rows on integrity, recovery and
 * throughput during a fault show the store beside the others.
 */
public final class NodeOutage {

    public static final String NAME = "node-outage";

    private NodeOutage() {
    }

    /**
     * Writes {@code <scorecardDir>/<storeLabel>/node-outage.json}; stateHttp is a state-service's
     * HTTP server (its build and settings), store the node the checker read.
     */
    public static Path write(Path scorecardDir, String storeLabel, BareStore store, String stateHttp, Map<String, Object> parameters,
                             History.Recorded history, Checker.Report report, long loadStartMillis, Instant startedAt)
            throws Exception {
        Path directory = scorecardDir.resolve(storeLabel);
        StoreProbe probe = new StoreProbe(store);
        ScenarioContext context = new ScenarioContext(store, directory, NAME, Duration.ZERO, Duration.ZERO,
                new JitCompilers(List.of(), Duration.ZERO), null);
        ScenarioReport scenarioReport = new ScenarioReport(ScenarioReport.SCHEMA,
                new ScenarioReport.Store(storeLabel, store.family().toString(), probe.version(), probe.settings()),
                ScorecardCommand.suite(stateHttp),
                new ScenarioReport.Scenario(NAME, "Node outages: store nodes killed, paused or cut off under the fault load, then checked",
                        parameters),
                startedAt.toString(),
                List.of(FaultOutcome.loadRow(context, history, loadStartMillis, Map.of("faults", String.join(",",
                        report.faults().stream().map(Checker.FaultTiming::fault).toList())))),
                FaultOutcome.findings(report), null, List.of(FaultOutcome.verdict(report)));
        Files.createDirectories(directory);
        Path file = directory.resolve(NAME + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), scenarioReport);
        return file;
    }
}
