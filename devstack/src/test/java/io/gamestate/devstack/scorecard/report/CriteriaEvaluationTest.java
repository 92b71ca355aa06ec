package io.gamestate.devstack.scorecard.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fixtures are shaped so each status appears; the cells must say which. */
class CriteriaEvaluationTest {

    private static Scorecard scorecard;

    @BeforeAll
    static void evaluate() {
        List<ScenarioRun> runs = new ScenarioRuns(new ReportSchema()).load(Fixtures.resource("fixtures"));
        scorecard = new CriteriaEvaluation(runs, DocumentedFacts.load()).scorecard();
    }

    @Test
    void targetsColourAFigureMetNearOrMissed() {
        assertThat(Targets.atLeast(1000, 1000)).isEqualTo(Status.MET);
        assertThat(Targets.atLeast(800, 1000)).isEqualTo(Status.NEAR);
        assertThat(Targets.atLeast(799, 1000)).isEqualTo(Status.MISSED);
        assertThat(Targets.atMost(15, 15)).isEqualTo(Status.MET);
        assertThat(Targets.atMost(18, 15)).isEqualTo(Status.NEAR);
        assertThat(Targets.atMost(18.1, 15)).isEqualTo(Status.MISSED);
        assertThat(Targets.atMost(Double.NaN, 15)).isEqualTo(Status.NOT_MEASURED);
    }

    @Test
    void columnsAreTheMeasuredStoresThenEveryCandidateNotRunnableHere() {
        assertThat(scorecard.columns()).extracting(Scorecard.Column::key).containsExactly("postgres", "mariadb",
                "cockroachdb", "yugabytedb", "tidb", "mongodb", "dynamodb", "cosmosdb", "foundationdb", "khepri");
    }

    @Test
    void measuredCellsAreColouredAgainstTheirTargets() {
        assertStatus("RMW-units/s per GLS", "postgres", Status.MET);       // 6,200 batched
        assertStatus("p99 of an RMW", "postgres", Status.MET);             // 9.8 ms
        assertStatus("p99 of an RMW", "mariadb", Status.NEAR);             // 17 ms against 15
        assertStatus("Contention, Zipf 1.5", "postgres", Status.MET);      // 6.15× and 11.9×
        assertStatus("Contention, Zipf 1.5", "mariadb", Status.MET);       // 3.0× and 6.67×
        assertStatus("Query patterns", "postgres", Status.MET);            // 2.1 → 2.6 ms
        assertStatus("Query patterns", "mariadb", Status.MISSED);          // 7.2 ms at 1M
        assertStatus("Hot cell", "postgres", Status.MET);                  // 38 ms
        assertStatus("Hot cell", "mariadb", Status.MISSED);                // 75 ms
        assertStatus("Ramp", "postgres", Status.NEAR);                     // 1,800/s against 2,000
        assertStatus("Ramp", "mariadb", Status.MISSED);                    // 1,000/s
        assertThat(cell("Ramp", "mariadb").text()).isEqualTo("1,000/s per GLS; p99 over 15 ms at the lower 500/s");
        assertThat(cell("Ramp", "postgres").text()).isEqualTo("1,800/s per GLS");
        assertStatus("Scaling by GLS count", "postgres", Status.MET);
        assertStatus("Scaling by GLS count", "mariadb", Status.NEAR);
        assertStatus("Resource use", "postgres", Status.INFO);
        assertThat(cell("CPU per uniform transfer", "postgres").text()).isEqualTo("bare-procedure: store 200 µs, machine 1.90 cores busy"
                + " · batched: store 100 µs + state-service 49.4 µs, machine 1.30 cores busy");
        assertStatus("CPU per uniform transfer", "mariadb", Status.NOT_MEASURED);  // rows without CPU per window
        assertStatus("CDC: commit-to-consumer lag", "postgres", Status.MET);      // 61 ms (poll), 12 ms (bus)
        assertStatus("CDC: commit-to-consumer lag", "mariadb", Status.MET);       // 61 ms (poll), no row log
        assertStatus("CDC: RMW throughput", "postgres", Status.MET);              // 0.95
        assertStatus("CDC: RMW throughput", "mariadb", Status.NOT_MEASURED);      // no row log
        assertStatus("CDC: changes streamed", "postgres", Status.MET);
        assertStatus("CDC: changes streamed", "mariadb", Status.NOT_MEASURED);
        assertThat(cell("CDC: commit-to-consumer lag", "mariadb").text()).contains("log capture: not available");
        assertStatus("Integrity under node outages", "mariadb", Status.NOT_MEASURED);
        assertStatus("Transactional integrity", "postgres", Status.MET);
        assertStatus("Transactional integrity", "mariadb", Status.MISSED); // a fixture check fails
        assertStatus("Hot cell", "khepri", Status.NOT_MEASURED);
        assertThat(cell("Hot cell", "dynamodb").text()).startsWith("not measured here: managed AWS service only");
    }

    @Test
    void everyDocumentedCellOfACandidateHasASource() {
        assertThat(scorecard.documented()).hasSizeGreaterThanOrEqualTo(8);
        scorecard.documented().forEach(row -> row.cells().forEach((store, fact) ->
                assertThat(fact.source()).as(row.name() + " / " + store).startsWith("https://")));
    }

    private static void assertStatus(String criterion, String store, Status status) {
        Cell cell = cell(criterion, store);
        assertThat(cell.status()).as(criterion + " / " + store + ": " + cell.text()).isEqualTo(status);
    }

    private static Cell cell(String criterion, String store) {
        return scorecard.measured().stream().filter(c -> c.name().startsWith(criterion)).findFirst()
                .orElseThrow(() -> new AssertionError("no criterion " + criterion)).cells().get(store);
    }
}
