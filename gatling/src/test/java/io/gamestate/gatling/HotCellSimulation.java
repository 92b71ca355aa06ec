package io.gamestate.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Contention: many players crowd one resource node, all within a few units of it (one cell, which
 * state-service may split under the crowd), and hammer moves and harvests on it, so every harvest
 * locks the same node, its cell, counters and aggregates. Over HTTP, three phases one after the other:
 * <ol>
 * <li>a scout joins at the hot point ({@code hotX}, {@code hotY}) and looks for the nearest resource
 * node (placed by the benchmark that {@code run.sh} runs first; the GLS itself spawns none);
 * <li>{@code players} join within {@code spread} units of it and each makes {@code rounds} moves and
 * harvests, {@code pauseMs} apart;
 * <li>the scout checks that the node lost exactly what the harvests confirmed (give or take the
 * harvests that failed without an answer) and that every player that left is gone.
 * </ol>
 * Asserted: the failure ratio, the p99, and that the check ran once and held.
 */
public class HotCellSimulation extends Simulation {

    static final int PLAYERS = Integer.getInteger("players", 40);
    static final int ROUNDS = Integer.getInteger("rounds", 15);
    static final Duration PAUSE = Duration.ofMillis(Integer.getInteger("pauseMs", 100));
    /** A town of the benchmark's world: resource nodes are crowded around it. */
    static final double HOT_X = Double.parseDouble(System.getProperty("hotX", "2048"));
    static final double HOT_Y = Double.parseDouble(System.getProperty("hotY", "2048"));
    /** Players join at most this far from the node, well within the action range (8). */
    static final double SPREAD = Double.parseDouble(System.getProperty("spread", "3"));
    static final double SUPERBLOCK_SIZE = Double.parseDouble(System.getProperty("superblockSize", "256"));
    static final double SCOUT_RADIUS = 32;
    static final int JOIN_SECONDS = Integer.getInteger("joinSeconds", 2);
    static final double MAX_FAILED_PERCENT = Double.parseDouble(System.getProperty("maxFailedPercent", "1"));
    static final int P99_MS = Integer.getInteger("p99Ms", 500);
    static final String VERIFICATION = "verify hot cell";

    final HotCell hotCell = new HotCell(HOT_X, HOT_Y, SUPERBLOCK_SIZE, SPREAD);

    ScenarioBuilder scout = scenario("scout")
            .exec(session -> session.set("x", HOT_X).set("y", HOT_Y))
            .exec(PlayerHttpActions.join("scout join"))
            .exitHereIfFailed()
            .exec(PlayerHttpActions.around("scout look", session -> SCOUT_RADIUS)
                    .check(jsonPath("$[?(@.kind == 'resource_node')]").ofMap().findAll().saveAs("nodes")))
            .exitHereIfFailed()
            .exec(hotCell::chooseNode);

    ScenarioBuilder players = scenario("hot-cell player")
            .feed(HotCellSpawns.feeder(hotCell, SPREAD))
            .exec(PlayerHttpActions.join("join"))
            .exitHereIfFailed()
            .exec(hotCell::joined)
            .repeat(ROUNDS).on(
                    pause(PAUSE),
                    exec(PlayerHttpActions.moveNearHome("move")),
                    pause(PAUSE),
                    exec(PlayerHttpActions.harvest("harvest")),
                    exec(hotCell::harvested))
            .exec(PlayerHttpActions.leave("leave"));

    ScenarioBuilder verification = scenario("verification")
            .doIf(session -> hotCell.found()).then(
                    exec(hotCell::asScout),
                    exec(PlayerHttpActions.around(VERIFICATION, session -> hotCell.verificationRadius())
                            .check(jsonPath("$[*]").ofMap().findAll().transform(hotCell::verdict).is(HotCell.CONSISTENT))),
                    exec(PlayerHttpActions.leave("scout leave")));

    {
        setUp(scout.injectOpen(atOnceUsers(1))
                .andThen(players.injectOpen(rampUsers(PLAYERS).during(JOIN_SECONDS))
                        .andThen(verification.injectOpen(atOnceUsers(1)))))
                .protocols(GlsProtocol.http())
                .assertions(
                        global().failedRequests().percent().lte(MAX_FAILED_PERCENT),
                        global().responseTime().percentile(99.0).lt(P99_MS),
                        details(VERIFICATION).allRequests().count().is(1L),
                        details(VERIFICATION).failedRequests().count().is(0L));
    }

    @Override
    public void after() {
        RunSummary.print("hot cell", hotCell.summary());
    }
}
