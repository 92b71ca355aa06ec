package io.gamestate.devstack.scorecard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamestate.devstack.scorecard.ScenarioReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportSchemaTest {

    private final ReportSchema schema = new ReportSchema();

    @Test
    void everyFixtureMatchesTheSchema() throws Exception {
        List<Path> files = ScenarioRuns.scenarioFiles(Fixtures.resource("fixtures"));
        assertThat(files).hasSize(14);
        for (Path file : files) {
            assertThat(schema.problems(Files.readString(file))).as(file.toString()).isEmpty();
        }
    }

    @Test
    void aBrokenFileFailsWithItsPathAndTheSchemaErrors() {
        Path dir = Fixtures.resource("broken");
        assertThatThrownBy(() -> new ScenarioRuns(schema).load(dir))
                .isInstanceOf(ScorecardException.class)
                .hasMessageContaining(dir.resolve("postgres/hot-cell.json").toString())
                .hasMessageContaining("p99")
                .hasMessageContaining("throughputPerSecond");
    }

    /** What Jackson writes for the record, nulls included, is what the schema accepts: the two stay in step. */
    @Test
    void theRecordAsJacksonWritesItMatchesTheSchema() throws Exception {
        ScenarioReport report = new ScenarioReport(ScenarioReport.SCHEMA,
                new ScenarioReport.Store("postgres", "postgresql", null, null),
                new ScenarioReport.Suite("abc1234", true, null, Map.of("cores", "8")),
                new ScenarioReport.Scenario("hot-cell", null, null),
                "2026-11-28T08:00:00Z",
                List.of(new ScenarioReport.Result("harvest", Map.of("alpha", 1.5), "RMW-units", 30, 900, 30, 30,
                        new ScenarioReport.Latency(1, 2, 3, 4, 5, 1.5), Map.of("OK", 900L), null, null, null,
                        Map.of("machine", 1.9, "store", 1.2))),
                null,
                new ScenarioReport.Resources(new ScenarioReport.Usage(10, 500, 1024L, null), null),
                List.of(new ScenarioReport.Check("gold conserved", true, null)));
        assertThat(schema.problems(new ObjectMapper().writeValueAsString(report))).isEmpty();
    }
}
