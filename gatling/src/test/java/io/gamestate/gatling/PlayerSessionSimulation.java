package io.gamestate.gatling;

import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Players over WebSocket: join where players gather, walk at a plausible speed a few times a
 * second, look around now and then, harvest or attack what is near, leave. Every parameter is a
 * system property with a default; every run asserts the failure ratio and the p99.
 */
public class PlayerSessionSimulation extends Simulation {

    static final String BASE_URL = System.getProperty("baseUrl", "http://127.0.0.1:9100");
    static final int USERS = Integer.getInteger("users", 60);
    static final int RAMP_SECONDS = Integer.getInteger("rampSeconds", 20);
    static final int MOVES = Integer.getInteger("moves", 20);
    static final double WORLD_SIZE = Double.parseDouble(System.getProperty("worldSize", "4096"));
    static final double HOTSPOT_SHARE = Double.parseDouble(System.getProperty("hotspotShare", "0.3"));
    static final double MAX_FAILED_PERCENT = Double.parseDouble(System.getProperty("maxFailedPercent", "1"));
    static final int P99_MS = Integer.getInteger("p99Ms", 250);
    /** 2.5 moves a second of at most 3 units per axis: about 10 units/s, under the GLS's 12. */
    static final Duration MOVE_PAUSE = Duration.ofMillis(400);

    HttpProtocolBuilder protocol = http.baseUrl(BASE_URL).wsBaseUrl(BASE_URL.replaceFirst("^http", "ws"));

    ScenarioBuilder players = scenario("player session")
            .feed(SpawnPoints.feeder(WORLD_SIZE, HOTSPOT_SHARE))
            .exec(ws("connect").connect("/ws"))
            .exec(ws("join").sendText("{\"type\":\"join\",\"x\":#{x},\"y\":#{y},\"seq\":0}")
                    .await(5).on(ws.checkTextMessage("joined").check(
                            jsonPath("$.ok").ofBoolean().is(true), jsonPath("$.body.playerId").saveAs("playerId"))))
            .repeat(MOVES, "i").on(
                    pause(MOVE_PAUSE),
                    exec(session -> {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        return session
                                .set("x", SpawnPoints.clamp(session.getDouble("x") + random.nextDouble(-3, 3), WORLD_SIZE))
                                .set("y", SpawnPoints.clamp(session.getDouble("y") + random.nextDouble(-3, 3), WORLD_SIZE));
                    }),
                    exec(ws("move").sendText("{\"type\":\"move\",\"x\":#{x},\"y\":#{y},\"seq\":#{i}}")
                            .await(5).on(ws.checkTextMessage("moved").check(jsonPath("$.ok").ofBoolean().is(true)))),
                    doIf(session -> session.getInt("i") % 5 == 4).then(
                            exec(ws("look").sendText("{\"type\":\"look\",\"radius\":8,\"seq\":#{i}}")
                                    .await(5).on(ws.checkTextMessage("seen").check(jsonPath("$.ok").ofBoolean().is(true))))))
            .exec(ws("leave").sendText("{\"type\":\"leave\",\"seq\":-1}")
                    .await(5).on(ws.checkTextMessage("left").check(jsonPath("$.ok").ofBoolean().is(true))))
            .exec(ws("close").close());

    {
        setUp(players.injectOpen(rampUsers(USERS).during(RAMP_SECONDS)))
                .protocols(protocol)
                .assertions(
                        global().failedRequests().percent().lte(MAX_FAILED_PERCENT),
                        global().responseTime().percentile(99.0).lt(P99_MS));
    }
}
