package io.gamestate.devstack.transfers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamestate.common.testing.JarProcess;
import io.gamestate.common.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code transfers} from devstack's own packaged jar against a real state-service on the real
 * PostgreSQL (database gamestate_transfers_test): every mode moves gold, none fails, the files
 * parse, and the gold the run spawned is all still there.
 */
class ContendedTransfersIT {

    static final int STATE_PORT = 9451;
    static final String DATABASE = "gamestate_transfers_test";
    static final int PLAYERS = 500;
    static final Map<String, String> ENVIRONMENT = Map.of("STATE_PORT", Integer.toString(STATE_PORT), "GAMESTATE_DB_NAME", DATABASE);

    static JarProcess stateService;

    @BeforeAll
    static void startStateService() {
        TestDatabases.ensure(TestDatabases.Server.POSTGRESQL, DATABASE);
        JarProcess.requireFreePort(STATE_PORT);
        stateService = JarProcess.service("state-service", STATE_PORT, ENVIRONMENT).start();
    }

    @AfterAll
    static void stopStateService() {
        stateService.stop();
    }

    @Test
    void everyModeMovesGoldAndTheRunWritesItsFiles(@TempDir Path out) throws Exception {
        long goldBefore = totalGold();
        JarProcess transfers = new JarProcess("transfers", Path.of("target", "quarkus-app", "quarkus-run.jar"))
                .environment(ENVIRONMENT)
                .arguments("transfers", "--players=" + PLAYERS, "--initial-warmup=1s", "--warmup=1s", "--duration=2s", "--concurrency=8",
                        "--out=" + out)
                .launch();
        assertThat(transfers.awaitExit(Duration.ofMinutes(3))).as(transfers.log()).isZero();
        assertThat(transfers.log()).contains("conservation: SUM(gold) over the " + PLAYERS + " players").contains("holds");
        // Nothing created or lost but the spawned players' gold.
        assertThat(totalGold()).isEqualTo(goldBefore + PLAYERS * 1_000_000L);

        Path run;
        try (Stream<Path> runs = Files.list(out)) {
            run = runs.findFirst().orElseThrow();
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode params = json.readTree(run.resolve("params.json").toFile());
        assertThat(params.path("storeVersion").asText()).startsWith("PostgreSQL");
        assertThat(params.path("isolation").asText()).isEqualTo("READ COMMITTED");
        assertThat(params.path("concurrency").asInt()).isEqualTo(8);

        JsonNode summary = json.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.path("conservation").path("holds").asBoolean()).isTrue();
        JsonNode results = summary.path("results");
        assertThat(results).hasSize(6); // alpha 0 and 1.5, three modes each
        for (JsonNode mode : results) {
            String which = mode.path("alpha").asText() + " " + mode.path("mode").asText();
            assertThat(mode.path("throughput").asDouble()).as(which).isPositive();
            assertThat(mode.path("errors").asLong()).as(which + " " + mode.path("errorsByCode")).isZero();
            assertThat(mode.path("latencyMsPerCall").path("p99").asDouble()).as(which).isPositive();
            assertThat(mode.path("ratioToBare").asDouble()).as(which).isPositive();
        }

        List<String> csv = Files.readAllLines(run.resolve("results.csv"));
        assertThat(csv.get(0)).isEqualTo("alpha,mode,second,transfers_per_s,p50_ms,p99_ms,errors");
        assertThat(csv).anyMatch(line -> line.startsWith("1.5,batched,"));
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
