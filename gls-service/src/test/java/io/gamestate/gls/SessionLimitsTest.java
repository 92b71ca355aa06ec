package io.gamestate.gls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.StateService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One session cannot hurt the others: a flood of concurrent HTTP requests on one session is cut
 * to its rate and requests in flight with 429s, and reaches the store only with what was admitted,
 * while another player's requests sent at the same time all succeed.
 */
@QuarkusTest
@WithTestResource(SuiteServices.class)
class SessionLimitsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int FLOOD = 300;

    @TestHTTPResource("/players")
    URI players;

    @GrpcClient("state")
    StateService state;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    record Player(long id, String token) {
    }

    @Test
    void aFloodingSessionGets429sWhileAnotherPlaysOn() throws Exception {
        Player flooder = join(2500, 2500);
        Player bystander = join(2600, 2600);

        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            flood.add(send(i % 2 == 0 ? look(flooder) : move(flooder, 2500, 2500)));
        }
        List<HttpResponse<String>> bystanderAnswers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bystanderAnswers.add(send(i % 2 == 0 ? look(bystander) : move(bystander, 2600, 2600)).join());
        }

        int admittedMoves = 0;
        int limited = 0;
        for (int i = 0; i < FLOOD; i++) {
            HttpResponse<String> answer = flood.get(i).join();
            assertThat(answer.statusCode()).as("the flood is served or limited, nothing else").isIn(200, 429);
            if (answer.statusCode() == 429) {
                limited++;
                assertThat(JSON.readTree(answer.body()).get("message").asText()).containsAnyOf("a second", "under way");
            } else if (i % 2 == 1) {
                admittedMoves++;
            }
        }
        assertThat(limited).as("most of a %d-request flood is refused", FLOOD).isGreaterThan(FLOOD / 2);
        assertThat(bystanderAnswers).as("the other player's requests at the same time")
                .allSatisfy(answer -> assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200));
        long version = state.getEntity(GetEntityRequest.newBuilder().setEntityId(flooder.id()).build())
                .await().atMost(Duration.ofSeconds(10)).getVersion();
        assertThat(version - 1).as("only the admitted moves reached the store").isEqualTo(admittedMoves);
    }

    Player join(double x, double y) throws Exception {
        HttpResponse<String> joined = send(HttpRequest.newBuilder(players).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"x\":" + x + ",\"y\":" + y + "}")).build()).join();
        assertThat(joined.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(joined.body());
        return new Player(body.get("playerId").asLong(), body.get("token").asText());
    }

    HttpRequest look(Player p) {
        return HttpRequest.newBuilder(URI.create(players + "/" + p.id() + "/around?radius=5"))
                .header("X-Session", p.token()).timeout(Duration.ofSeconds(30)).GET().build();
    }

    /** A move onto the avatar's own position: always within the speed limit, and still one unit for the store. */
    HttpRequest move(Player p, double x, double y) {
        return HttpRequest.newBuilder(URI.create(players + "/" + p.id() + "/actions"))
                .header("X-Session", p.token()).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"move\",\"x\":" + x + ",\"y\":" + y + "}")).build();
    }

    CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
