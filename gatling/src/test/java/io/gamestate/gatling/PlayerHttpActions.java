package io.gamestate.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The GLS's HTTP player API as Gatling requests. The simulations that use it only send actions
 * that are legal by construction, so every refusal is a failure: each request expects 200.
 * Session keys: {@code x}, {@code y} (where to join, then the player's home), {@code playerId},
 * {@code token}.
 */
final class PlayerHttpActions {

    /**
     * How far a move strays from home. Any two points this close to home are nearer to each other
     * (0.71) than the GLS's smallest speed allowance (12 units/s x 50 ms + 0.5 slack = 1.1), so the
     * moves of one player are legal in any order and at any rate, even when two are in flight.
     */
    static final double HOME_JITTER = 0.5;

    private PlayerHttpActions() {
    }

    /** Joins at {@code x}, {@code y}; saves {@code playerId} and the session {@code token}. */
    static HttpRequestActionBuilder join(String name) {
        return http(name).post("/players").body(StringBody("{\"x\":#{x},\"y\":#{y}}"))
                .check(status().is(200), jsonPath("$.playerId").ofLong().saveAs("playerId"), jsonPath("$.token").saveAs("token"));
    }

    /** A move to a random point within {@link #HOME_JITTER} of home. */
    static HttpRequestActionBuilder moveNearHome(String name) {
        return act(name, session -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            return "{\"type\":\"move\",\"x\":" + (session.getDouble("x") + random.nextDouble(HOME_JITTER))
                    + ",\"y\":" + (session.getDouble("y") + random.nextDouble(HOME_JITTER)) + "}";
        });
    }

    /** Harvests the resource node {@code nodeId}; saves the yield as {@code harvested}. */
    static HttpRequestActionBuilder harvest(String name) {
        return act(name, session -> "{\"type\":\"harvest\",\"targetId\":" + session.getLong("nodeId") + "}")
                .check(jsonPath("$.harvested").ofLong().saveAs("harvested"));
    }

    /** What is within {@code radius} of the player. */
    static HttpRequestActionBuilder around(String name, Function<Session, Double> radius) {
        return http(name).get(session -> "/players/" + session.getLong("playerId") + "/around?radius=" + radius.apply(session))
                .header("X-Session", "#{token}")
                .check(status().is(200));
    }

    static HttpRequestActionBuilder leave(String name) {
        return http(name).delete("/players/#{playerId}").header("X-Session", "#{token}").check(status().is(200));
    }

    private static HttpRequestActionBuilder act(String name, Function<Session, String> action) {
        return http(name).post("/players/#{playerId}/actions").header("X-Session", "#{token}")
                .body(StringBody(action::apply)).check(status().is(200));
    }
}
