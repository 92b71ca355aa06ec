package io.gamestate.devstack.scorecard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamestate.common.testing.JarProcess;
import io.gamestate.common.testing.TestDatabases;
import io.gamestate.devstack.scorecard.report.ReportSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scorecard} from devstack's own packaged jar against a real state-service on the real
 * PostgreSQL (database gamestate_scorecard_test): the game mix and the contended transfers (pgbench
 * beside state-service) run without a failed call, gold is conserved, the files validate against
 * the schema the report reads, and they record what the store and the service said about themselves.
 */
class ScorecardIT {

    static final int STATE_PORT = 9451;
    static final int STATE_HTTP_PORT = 9452;
    static final String DATABASE = "gamestate_scorecard_test";
    static final int PLAYERS = 500;
    /** The state-service's and the scorecard's (which reads the service's metrics) environment. */
    static final Map<String, String> ENVIRONMENT = Map.of("STATE_PORT", Integer.toString(STATE_PORT),
            "STATE_HTTP_PORT", Integer.toString(STATE_HTTP_PORT), "GAMESTATE_DB_NAME", DATABASE);

    static JarProcess stateService;

    @BeforeAll
    static void startStateService() {
        TestDatabases.ensure(TestDatabases.Server.POSTGRESQL, DATABASE);
        JarProcess.requireFreePort(STATE_PORT);
        stateService = JarProcess.service("state-service", STATE_HTTP_PORT, ENVIRONMENT).start();
    }

    @AfterAll
    static void stopStateService() {
        stateService.stop();
    }

    @Test
    void gameMixAndTransfersWriteValidFilesAndConserveGold(@TempDir Path out) throws Exception {
        long goldBefore = totalGold();
        JarProcess scorecard = new JarProcess("scorecard", Path.of("target", "quarkus-app", "quarkus-run.jar"))
                .environment(ENVIRONMENT)
                // Transfers first: pgbench names players by consecutive ids, which the game mix's harvests
                // (new items) would otherwise break at an id-block boundary; the scenario then falls back to JDBC.
                .arguments("scorecard", "--store-label=postgres", "--scenarios=contended-transfers,game-mix",
                        "--mix-players=200", "--transfer-players=" + PLAYERS, "--initial-warmup=1s", "--warmup=1s", "--warmup-max=3s",
                        "--duration=2s",
                        "--transfer-concurrency=8", "--out=" + out)
                .launch();
        assertThat(scorecard.awaitExit(Duration.ofMinutes(4))).as(scorecard.log()).isZero();
        // Nothing created or lost but the spawned players' gold (the game mix's 200 and the transfers' players).
        assertThat(totalGold()).isEqualTo(goldBefore + (200 + PLAYERS) * 1_000_000L);

        ReportSchema schema = new ReportSchema();
        ObjectMapper json = new ObjectMapper();
        for (String scenario : List.of("game-mix", "contended-transfers")) {
            Path file = out.resolve("postgres").resolve(scenario + ".json");
            assertThat(schema.problems(Files.readString(file))).as(scenario).isEmpty();
            JsonNode report = json.readTree(file.toFile());
            assertThat(report.path("store").path("product").asText()).startsWith("PostgreSQL");
            assertThat(report.path("store").path("settings").path("synchronous_commit").asText()).isNotEmpty();
            assertThat(report.path("suite").path("settings").path("isolation").asText()).isEqualTo("READ COMMITTED");
            assertThat(report.path("suite").path("settings").path("groupCommitTransactions").asInt()).isPositive();
            assertThat(report.path("resources").path("store").path("logBytes").asLong()).as("WAL written").isPositive();
            // Each mode's initial warm-up at least once, and no more passes once --warmup-max is over.
            int modes = scenario.equals("game-mix") ? 2 : 4;
            assertThat(report.path("findings").path("warmupSeconds").asDouble()).as(scenario + " warm-up")
                    .isGreaterThanOrEqualTo(modes * 1.0).isLessThan(3 + modes * 1.0 + 10);
            for (JsonNode row : report.path("results")) {
                String which = scenario + " " + row.path("variant").asText() + " " + row.path("labels");
                assertThat(row.path("throughput").asDouble()).as(which).isPositive();
                assertThat(row.path("answersByCode").path("OK").asLong()).as(which).isEqualTo(row.path("operations").asLong());
                assertThat(Files.readAllLines(out.resolve("postgres").resolve(row.path("series").asText())).get(0))
                        .isEqualTo("second,throughput,p50_ms,p99_ms,errors");
            }
        }
        JsonNode transfers = json.readTree(out.resolve("postgres").resolve("contended-transfers.json").toFile());
        assertThat(transfers.path("results")).hasSize(8); // alpha 0 and 1.5; bare-sql, bare-procedure, single, batched
        assertThat(transfers.path("checks").get(0).path("holds").asBoolean()).isTrue();
        assertThat(transfers.path("scenario").path("parameters").path("bareDriver").asText()).isEqualTo("pgbench");
        assertThat(transfers.path("findings").path("single/bare-sql alpha=1.5").asDouble()).isPositive();
    }

    private static long totalGold() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(gold), 0) FROM entity")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
