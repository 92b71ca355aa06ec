package io.gamestate.gls;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamestate.proto.game.v1.GameService;
import io.gamestate.proto.game.v1.JoinRequest;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.StateService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * state-service goes down under a playing GLS: players get a quick 503 with a message (GameService
 * callers UNAVAILABLE), the circuit breaker opens, and once state-service is back the GLS recovers
 * by itself; every action a player saw succeed is applied exactly once.
 */
@QuarkusTest
@WithTestResource(SuiteServices.class)
class DownstreamOutageTest {

    @GrpcClient("state")
    StateService state;

    @GrpcClient("game")
    GameService game;

    @Test
    void playersGetQuickErrorsWhileStateServiceIsDownAndTheGlsRecovers() throws InterruptedException {
        var joined = given().contentType(ContentType.JSON).body(Map.of("x", 3000.0, "y", 3000.0))
                .post("/players").then().statusCode(200).extract().jsonPath();
        long id = joined.getLong("playerId");
        String token = joined.getString("token");

        SuiteServices.stopStateService();
        long started = System.nanoTime();
        int unavailable = 0;
        String lastMessage = "";
        for (int i = 0; i < 30; i++) {
            var response = given().header("X-Session", token).contentType(ContentType.JSON)
                    .body(Map.of("type", "move", "x", 3000.0, "y", 3000.0)).post("/players/{id}/actions", id);
            if (response.statusCode() == 503) {
                unavailable++;
                lastMessage = response.jsonPath().getString("message");
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(unavailable).as("every action during the outage is refused").isEqualTo(30);
        assertThat(seconds).as("players are told quickly").isLessThan(15);
        assertThat(lastMessage).as("the breaker is open by now").containsIgnoringCase("circuit");
        assertThatThrownBy(() -> game.join(JoinRequest.newBuilder().setX(3000).setY(3000).build()).await().atMost(Duration.ofSeconds(10)))
                .as("GameService says the same")
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

        SuiteServices.startStateService();
        long restarted = System.nanoTime();
        int applied = 0;
        while (applied == 0) {
            assertThat((System.nanoTime() - restarted) / 1e9).as("the GLS recovers by itself within 20 s").isLessThan(20);
            Thread.sleep(250);
            applied += move(id, token, 3001.0) == 200 ? 1 : 0;
        }
        for (int i = 2; i <= 5; i++) {
            Thread.sleep(200);
            assertThat(move(id, token, 3000.0 + i)).as("traffic flows again").isEqualTo(200);
            applied++;
        }
        var player = state.getEntity(GetEntityRequest.newBuilder().setEntityId(id).build()).await().atMost(Duration.ofSeconds(10));
        assertThat(player.getPosition().getX()).isEqualTo(3005.0);
        assertThat(player.getVersion()).as("the spawn and each move a player saw succeed, nothing lost or doubled")
                .isEqualTo(1 + applied);
    }

    static int move(long id, String token, double x) {
        return given().header("X-Session", token).contentType(ContentType.JSON)
                .body(Map.of("type", "move", "x", x, "y", 3000.0)).post("/players/{id}/actions", id).statusCode();
    }
}
