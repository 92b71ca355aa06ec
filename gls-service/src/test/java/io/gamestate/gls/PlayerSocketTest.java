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
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The WebSocket gateway: a session plays its avatar, bad frames get errors, floods are limited, trades take consent. */
@QuarkusTest
@WithTestResource(SuiteServices.class)
class PlayerSocketTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @GrpcClient("state")
    StateService state;

    @TestHTTPResource("/ws")
    URI endpoint;

    /** A player's connection: frames in arrival order, and how it closed. */
    final class Client implements WebSocket.Listener {
        final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        final WebSocket socket;

        Client() {
            URI ws = URI.create(endpoint.toString().replaceFirst("^http", "ws"));
            socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, this).join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    replies.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        JsonNode send(String frame) throws Exception {
            socket.sendText(frame, true).join();
            return next("a reply to " + frame);
        }

        JsonNode next(String what) throws InterruptedException {
            JsonNode frame = replies.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as(what).isNotNull();
            return frame;
        }

        long join(double x, double y) throws Exception {
            return send("{\"type\":\"join\",\"x\":" + x + ",\"y\":" + y + "}").get("body").get("playerId").asLong();
        }
    }

    @Test
    void aSessionPlaysItsAvatarAndSurvivesBadFrames() throws Exception {
        Client c = new Client();
        assertThat(c.send("{\"type\":\"move\",\"x\":1,\"y\":1}").get("status").asInt()).as("join first").isEqualTo(403);
        JsonNode joined = c.send("{\"type\":\"join\",\"x\":500,\"y\":500,\"seq\":1}");
        assertThat(joined.get("ok").asBoolean()).isTrue();
        assertThat(joined.get("seq").asLong()).isEqualTo(1);
        long playerId = joined.get("body").get("playerId").asLong();

        assertThat(c.send("{not json").get("status").asInt()).isEqualTo(400);
        for (String notAnAction : List.of("null", "42", "[]", "\"move\"")) {
            JsonNode error = c.send(notAnAction);
            assertThat(error.get("type").asText()).isEqualTo("error");
            assertThat(error.get("status").asInt()).as(notAnAction).isEqualTo(400);
        }
        assertThat(c.send("{\"type\":\"dance\",\"seq\":2}").get("message").asText()).contains("unknown action");
        assertThat(c.send("{\"type\":\"move\",\"x\":900,\"y\":500,\"seq\":3}").get("message").asText()).contains("teleport");
        Thread.sleep(300);
        JsonNode moved = c.send("{\"type\":\"move\",\"x\":502,\"y\":500,\"seq\":4}");
        assertThat(moved.get("ok").asBoolean()).isTrue();
        assertThat(moved.get("body").get("entities").get(0).get("x").asDouble()).isEqualTo(502.0);
        JsonNode seen = c.send("{\"type\":\"look\",\"radius\":5,\"seq\":5}");
        assertThat(seen.get("body").findValuesAsText("id")).contains(Long.toString(playerId));

        JsonNode left = c.send("{\"type\":\"leave\",\"seq\":6}");
        assertThat(left.get("ok").asBoolean()).isTrue();
        assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void floodsAreLimitedAndOversizedFramesCloseOnlyTheirConnection() throws Exception {
        Client flooder = new Client();
        Client bystander = new Client();
        flooder.send("{\"type\":\"join\",\"x\":600,\"y\":600}");
        bystander.send("{\"type\":\"join\",\"x\":700,\"y\":700}");
        long started = System.nanoTime();
        for (int i = 0; i < 80; i++) {
            flooder.socket.sendText("{\"type\":\"look\",\"radius\":1}", true).join();
        }
        int limited = 0;
        int served = 0;
        for (int i = 0; i < 80; i++) {
            JsonNode reply = flooder.replies.poll(10, TimeUnit.SECONDS);
            assertThat(reply).isNotNull();
            if (reply.path("status").asInt() == 429) {
                limited++;
            } else if (reply.path("ok").asBoolean()) {
                served++;
            }
        }
        // 20 a second with bursts of 40: no more than the burst plus what refilled while the flood lasted.
        double seconds = (System.nanoTime() - started) / 1e9;
        int allowed = 40 + (int) Math.ceil(20 * seconds);
        assertThat(served).as("the burst allowance is served").isGreaterThanOrEqualTo(40);
        assertThat(served).as("at most the burst and the refill of %.2f s are served", seconds).isLessThanOrEqualTo(allowed);
        assertThat(limited).as("the rest of the flood is refused").isGreaterThanOrEqualTo(80 - allowed);

        flooder.socket.sendText("{\"type\":\"look\",\"pad\":\"" + "x".repeat(5000) + "\"}", true);
        // Closed by the server's frame limit (1009 "too big", or 1011 as Vert.x reports the limit here).
        assertThat(flooder.closed.get(10, TimeUnit.SECONDS)).isIn(1009, 1011);
        assertThat(bystander.send("{\"type\":\"look\",\"radius\":3}").get("ok").asBoolean()).as("others play on").isTrue();
    }

    @Test
    void aTradeOverTheSocketTakesTheOtherPlayersAcceptance() throws Exception {
        Client a = new Client();
        Client b = new Client();
        long aId = a.join(800, 800);
        long bId = b.join(803, 800);

        JsonNode oneSided = a.send("{\"type\":\"trade\",\"targetId\":" + bId + ",\"give\":0,\"take\":60,\"seq\":1}");
        assertThat(oneSided.get("status").asInt()).isEqualTo(400);
        JsonNode offered = a.send("{\"type\":\"offer\",\"targetId\":" + bId + ",\"take\":60,\"seq\":2}");
        assertThat(offered.get("ok").asBoolean()).isTrue();
        String offerId = offered.get("body").get("offer").get("offerId").asText();

        JsonNode pushed = b.next("the offer pushed to B");
        assertThat(pushed.get("type").asText()).isEqualTo("offer_received");
        assertThat(pushed.get("body").get("offerId").asText()).isEqualTo(offerId);
        assertThat(pushed.get("body").get("take").asLong()).isEqualTo(60);
        assertThat(gold(bId)).as("the offer alone moves nothing").isEqualTo(100);
        assertThat(a.send("{\"type\":\"accept\",\"offerId\":\"" + offerId + "\"}").get("status").asInt())
                .as("A cannot accept for B").isEqualTo(403);

        JsonNode accepted = b.send("{\"type\":\"accept\",\"offerId\":\"" + offerId + "\",\"seq\":7}");
        assertThat(accepted.get("ok").asBoolean()).as(accepted.toString()).isTrue();
        assertThat(gold(aId)).isEqualTo(160);
        assertThat(gold(bId)).isEqualTo(40);
        assertThat(b.send("{\"type\":\"accept\",\"offerId\":\"" + offerId + "\"}").get("body").get("replayed").asBoolean())
                .as("a re-sent acceptance is a replay").isTrue();
        assertThat(gold(bId)).isEqualTo(40);
        assertThat(b.send("{\"type\":\"offers\"}").get("body").size()).isZero();
    }

    long gold(long playerId) {
        return state.getEntity(GetEntityRequest.newBuilder().setEntityId(playerId).build()).await().atMost(Duration.ofSeconds(10))
                .getGold();
    }
}
