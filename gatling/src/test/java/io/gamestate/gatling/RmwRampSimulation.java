package io.gamestate.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An RMW throughput ramp over HTTP, open model: players join in a setup phase, then every virtual
 * user is one move of one of them, arriving at {@code startRate} users/s, then {@code stepRate}
 * more per level, {@code levels} levels of {@code levelSeconds} each (one after the other). Each
 * level reports under its own request name ({@code move @ 200/s}), and the simulation prints a table
 * of the levels and the highest rate whose p99 stays within {@code p99Ms} (15).
 * <p>
 * Run it against a GLS in immediate mode ({@code -Dgls.mode=immediate}): in the default tick mode
 * every action waits for the next 50 ms tick, far above a 15 ms bound.
 * <p>
 * Asserted: at most {@code maxFailedPercent} failed in the whole run, and the first level within
 * {@code p99Ms} (a ramp that cannot even hold its start rate has found nothing).
 */
public class RmwRampSimulation extends Simulation {

    static final int START_RATE = Integer.getInteger("startRate", 100);
    static final int STEP_RATE = Integer.getInteger("stepRate", 100);
    static final int LEVELS = Integer.getInteger("levels", 10);
    static final int LEVEL_SECONDS = Integer.getInteger("levelSeconds", 10);
    /**
     * Before the first measured level, unmeasured: the JIT, connection pools and caches of a cold GLS
     * warm up, and so does this JVM, whose compilers otherwise share the cores with the suite
     * through the first levels.
     */
    static final int WARMUP_SECONDS = Integer.getInteger("warmupSeconds", 40);
    /** Warm-up rises from the first level's rate to the middle level's: a cold GLS hit at once by hundreds a second times out. */
    static final int WARMUP_RATE = Integer.getInteger("warmupRate", START_RATE + STEP_RATE * ((LEVELS - 1) / 2));
    static final int PLAYERS = Integer.getInteger("players", 200);
    static final double WORLD_SIZE = Double.parseDouble(System.getProperty("worldSize", "4096"));
    static final int P99_MS = Integer.getInteger("p99Ms", 15);
    static final double MAX_FAILED_PERCENT = Double.parseDouble(System.getProperty("maxFailedPercent", "1"));
    /** Where the levels are also written as JSON (the scorecard's ramp scenario); none when unset. */
    static final String RESULT_JSON = System.getProperty("resultJson");

    final JoinedPlayers joined = new JoinedPlayers();
    final RampReport report = new RampReport("move", START_RATE, STEP_RATE, LEVELS);

    /** Spread over the whole world (no hotspot): the ramp measures throughput, the hot cell measures contention. */
    ScenarioBuilder join = scenario("join players")
            .feed(SpawnPoints.feeder(WORLD_SIZE, 0))
            .exec(PlayerHttpActions.join("join"))
            .exec(joined::add);

    ScenarioBuilder warmup = scenario("warm-up")
            .feed(joined.feeder())
            .exec(PlayerHttpActions.moveNearHome("move warm-up"));

    ScenarioBuilder level(RampReport.Level level) {
        return scenario(level.requestName())
                .feed(joined.feeder())
                .exec(PlayerHttpActions.moveNearHome(level.requestName()).check(responseTimeInMillis().saveAs(RampReport.RESPONSE_MS)))
                .exec(session -> report.record(level.requestName(), session));
    }

    {
        List<RampReport.Level> levels = report.levels();
        // andThen starts a population once the previous one has finished: the levels run one after the other.
        PopulationBuilder ramp = null;
        for (int i = levels.size() - 1; i >= 0; i--) {
            PopulationBuilder step = level(levels.get(i)).injectOpen(constantUsersPerSec(levels.get(i).usersPerSecond()).during(LEVEL_SECONDS));
            ramp = ramp == null ? step : step.andThen(ramp);
        }
        // Joins at about 40 a second: the first gRPC calls of a cold GLS are slow, and a burst of
        // them times out and opens its circuit breaker.
        setUp(join.injectOpen(rampUsers(PLAYERS).during(Math.max(1, PLAYERS / 40)))
                .andThen(warmup.injectOpen(rampUsersPerSec(START_RATE).to(WARMUP_RATE).during(WARMUP_SECONDS)).andThen(ramp)))
                // Each user here is one move of a player, not a new client: a player's client keeps its
                // connection, so the moves share Gatling's pool instead of each opening and closing one
                // (a connection per move spent a fifth of the GLS's CPU in accept and close).
                .protocols(GlsProtocol.http().shareConnections())
                .assertions(
                        global().failedRequests().percent().lte(MAX_FAILED_PERCENT),
                        details(levels.get(0).requestName()).responseTime().percentile(99.0).lte(P99_MS));
    }

    @Override
    public void after() {
        RunSummary.print("RMW ramp, moves of " + joined.size() + " players, " + LEVEL_SECONDS + " s per level",
                report.render(P99_MS, MAX_FAILED_PERCENT));
        if (RESULT_JSON != null) {
            try {
                Files.writeString(Path.of(RESULT_JSON), report.json(P99_MS));
            } catch (IOException e) {
                throw new UncheckedIOException("writing " + RESULT_JSON, e);
            }
        }
    }
}
