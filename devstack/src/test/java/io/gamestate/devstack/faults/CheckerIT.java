package io.gamestate.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.common.testing.JarProcess;
import io.gamestate.common.testing.TestDatabases;
import io.gamestate.devstack.faults.History.Entry;
import io.gamestate.devstack.faults.History.Outcome;
import io.gamestate.devstack.transfers.BareStore;
import io.gamestate.proto.state.v1.RmwUnit;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The checker on a real history: the fault load played through the packaged state-service on
 * PostgreSQL and recorded, plus two units of unknown outcome (one that did commit, one never
 * sent). The true history passes; the same history after an acknowledged write is removed by
 * hand and a unit is applied a second time by hand fails with exactly those violations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckerIT {

    static final String DATABASE = "gamestate_galera_checker";
    static final int STATE_PORT = 13101;
    static final int STATE_HTTP_PORT = 13201;

    final BareStore store = new BareStore(BareStore.Family.POSTGRESQL, "127.0.0.1", 5432, DATABASE);
    JarProcess stateService;

    @BeforeAll
    void startStateService() throws SQLException {
        try (Connection c = new BareStore(BareStore.Family.POSTGRESQL, "127.0.0.1", 5432, "postgres").connect()) {
            c.setAutoCommit(true);
            c.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
        }
        TestDatabases.ensure(TestDatabases.Server.POSTGRESQL, DATABASE);
        JarProcess.requireFreePort(STATE_PORT);
        stateService = JarProcess.grpcService("state-service", STATE_PORT, STATE_HTTP_PORT, Map.of("GAMESTATE_DB_NAME", DATABASE)).start();
    }

    @AfterAll
    void stop() {
        if (stateService != null) {
            stateService.close();
        }
    }

    @Test
    void passesTheTrueHistoryAndFailsOneWithALostAckAndADuplicatedUnit() throws Exception {
        Path file = Path.of("target", "checker-it", "history.tsv");
        List<String> endpoint = List.of("127.0.0.1:" + STATE_PORT);
        RmwUnit committedButUnknown;
        RmwUnit neverSent;
        try (History history = new History(file); RecordingClient client = new RecordingClient(endpoint, Duration.ofSeconds(30), history)) {
            FaultLoad load = FaultLoad.spawn(client.services().get(0), 200, 8, 3);
            history.totals(Checker.totals(store));
            load.run(client, 8, 8, System.nanoTime() + Duration.ofSeconds(3).toNanos());

            // The client lost the answer of a unit that committed, and of one that never left it.
            committedButUnknown = load.nextTrade();
            client.services().get(0).applyRmw(committedButUnknown).await().atMost(Duration.ofSeconds(30));
            neverSent = load.nextTrade();
            long now = System.currentTimeMillis();
            history.unit(new Entry(now, now, Outcome.UNKNOWN, "UNAVAILABLE", committedButUnknown, null));
            history.unit(new Entry(now, now, Outcome.UNKNOWN, "DEADLINE_EXCEEDED", neverSent, null));
        }

        try (RecordingClient resender = new RecordingClient(endpoint, Duration.ofSeconds(30), null)) {
            Checker checker = new Checker(store, resender.services());
            History.Recorded recorded = History.read(file);
            Checker.Report clean = checker.check(recorded);
            CheckCommand.print(clean);
            assertThat(clean.violations()).as("the true history").isEmpty();
            assertThat(clean.acknowledged()).as("units acknowledged in 3 s").isGreaterThan(20);
            assertThat(clean.unknownResolved()).containsExactlyInAnyOrderEntriesOf(
                    Map.of(Checker.Resolution.APPLIED_BEFORE, 1, Checker.Resolution.APPLIED_NOW, 1));
            assertThat(clean.goldAfter()).isEqualTo(clean.goldBefore());

            List<Entry> acknowledgedTrades = recorded.entries().stream()
                    .filter(e -> e.outcome() == Outcome.OK && e.unit().hasTrade() && e.result().getCellsCount() > 0).toList();
            Entry removed = acknowledgedTrades.get(0);
            Entry duplicated = acknowledgedTrades.get(1);
            try (Connection c = store.connect()) {
                execute(c, "DELETE FROM rmw_request WHERE request_id = ?", removed.requestId());
                // The duplicate's change event again at the cell's next version, as a second application would write it.
                long cell = duplicated.result().getCells(0).getCellId();
                execute(c, "INSERT INTO change_log (cell_id, superblock_id, cell_version, request_id, rule, committed_at, payload)"
                        + " SELECT cell_id, superblock_id, (SELECT version + 1 FROM cell WHERE id = ?), request_id, rule, committed_at, payload"
                        + " FROM change_log WHERE cell_id = ? AND cell_version = ?", cell, cell,
                        duplicated.result().getCells(0).getVersion());
                execute(c, "UPDATE cell SET version = version + 1 WHERE id = ?", cell);
                c.commit();
            }
            Checker.Report broken = checker.check(History.read(file));
            CheckCommand.print(broken);
            assertThat(broken.violations()).containsExactlyInAnyOrderEntriesOf(Map.of(Checker.LOST_ACK, 1, Checker.APPLIED_TWICE, 1));
            assertThat(broken.examples().get(Checker.LOST_ACK)).containsExactly(removed.requestId());
            assertThat(broken.examples().get(Checker.APPLIED_TWICE).get(0)).startsWith(duplicated.requestId());
        }
    }

    private static void execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
