package io.gamestate.gatling;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.doSwitch;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.forAll;
import static io.gatling.javaapi.core.CoreDsl.onCase;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Players over WebSocket: join where players gather (every second one beside the one before it),
 * walk at a plausible speed a few times a second, look around now and then, walk up to something
 * they saw and harvest it, attack it or offer it a trade, accept the offers other players made
 * them, leave. Refusals that are game outcomes (the target moved away, left or died, an offer
 * expired, not enough gold) are OK; server errors are KO ({@link ActionOutcomes}). Every parameter
 * is a system property with a default; every run asserts the failure ratio of every request and
 * the p99 of the in-game actions.
 */
public class PlayerSessionSimulation extends Simulation {

    static final int USERS = Integer.getInteger("users", 60);
    static final int RAMP_SECONDS = Integer.getInteger("rampSeconds", 20);
    static final int MOVES = Integer.getInteger("moves", 20);
    static final double WORLD_SIZE = Double.parseDouble(System.getProperty("worldSize", "4096"));
    static final double HOTSPOT_SHARE = Double.parseDouble(System.getProperty("hotspotShare", "0.3"));
    /** How far a player looks for targets; it walks there at running speed before it acts. */
    static final double LOOK_RADIUS = Double.parseDouble(System.getProperty("lookRadius", "20"));
    static final double MAX_FAILED_PERCENT = Double.parseDouble(System.getProperty("maxFailedPercent", "1"));
    static final int P99_MS = Integer.getInteger("p99Ms", 250);
    /** 2.5 moves a second of at most about 4 units: about 10 units/s, under the GLS's 12. */
    static final Duration MOVE_PAUSE = Duration.ofMillis(400);
    static final int LOOK_EVERY = 5;
    /** How often a player checks for offers made to it: every 0.8 s, well within an offer's 10 s. */
    static final int OFFERS_EVERY = 2;

    ScenarioBuilder players = scenario("player session")
            .feed(SpawnPoints.inPairs(WORLD_SIZE, HOTSPOT_SHARE))
            .exec(ws("connect").connect("/ws"))
            .exec(PlayerSocketActions.join())
            .exec(PlayerBehaviour::online)
            .repeat(MOVES, "i").on(
                    pause(MOVE_PAUSE),
                    exec(session -> PlayerBehaviour.planMove(session, WORLD_SIZE)),
                    PlayerSocketActions.move(),
                    exec(PlayerBehaviour::applyMove),
                    doIf(session -> session.getInt("i") % LOOK_EVERY == LOOK_EVERY - 1).then(
                            PlayerSocketActions.look(LOOK_RADIUS),
                            exec(PlayerBehaviour::chooseTarget)),
                    doIf(PlayerBehaviour::targetInReach).then(
                            doSwitch("#{intent}").on(
                                    onCase("harvest").then(PlayerSocketActions.harvest()),
                                    onCase("attack").then(PlayerSocketActions.attack()),
                                    onCase("trade").then(exec(PlayerBehaviour::offerTrade), PlayerSocketActions.offer())),
                            exec(PlayerBehaviour::forgetTarget)),
                    doIf(session -> session.getInt("i") % OFFERS_EVERY == 1).then(PlayerSocketActions.pollOffers()),
                    doIf(PlayerSocketActions::hasOffers).then(PlayerSocketActions.acceptOldestOffer()))
            .exec(PlayerBehaviour::offline)
            .exec(PlayerSocketActions.leave())
            .exec(ws("close").close());

    {
        setUp(players.injectOpen(rampUsers(USERS).during(RAMP_SECONDS)))
                .protocols(GlsProtocol.http())
                // Failures per request name (the 0 ms send events would dilute a global ratio); the
                // p99 over the in-game actions' replies.
                .assertions(
                        forAll().failedRequests().percent().lte(MAX_FAILED_PERCENT),
                        details(PlayerSocketActions.PLAY).responseTime().percentile(99.0).lt(P99_MS));
    }

    @Override
    public void after() {
        RunSummary.print("answers by action (the refusals here are game outcomes, OK in Gatling's table)", ActionOutcomes.summary());
    }
}
