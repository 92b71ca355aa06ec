package io.gamestate.gls;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;

/** Players as a client of the GLS's HTTP API sees them: join, then act with the session token. */
final class HttpPlayers {

    record Player(long id, String token) {
    }

    private HttpPlayers() {
    }

    static Player join(double x, double y) {
        var body = given().contentType(ContentType.JSON).body(Map.of("x", x, "y", y))
                .post("/players").then().statusCode(200).extract().jsonPath();
        return new Player(body.getLong("playerId"), body.getString("token"));
    }

    static ValidatableResponse act(Player p, Map<String, Object> action) {
        return given().header("X-Session", p.token()).contentType(ContentType.JSON).body(action)
                .post("/players/{id}/actions", p.id()).then();
    }
}
