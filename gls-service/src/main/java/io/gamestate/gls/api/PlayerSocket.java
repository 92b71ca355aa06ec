package io.gamestate.gls.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamestate.common.tracing.Traced;
import io.gamestate.gls.api.Views.Outcome;
import io.gamestate.gls.client.Downstream;
import io.gamestate.gls.game.Action;
import io.gamestate.gls.game.GameLogic;
import io.gamestate.gls.game.GameRefusal;
import io.gamestate.gls.game.PlayerSessions.Session;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The player API over one WebSocket: {@code join} binds the connection to a new avatar, then
 * {@code move}, {@code attack}, {@code harvest}, {@code offer}, {@code accept}, {@code cancel},
 * {@code look}, {@code offers} and {@code leave}. Every message may carry a {@code seq} that its
 * reply echoes. Bad, refused or limited messages get an {@code error} reply and the session goes
 * on; frames over the size limit close the connection (1009). An offer made to the player arrives
 * as an {@code offer_received} frame ({@link OfferPush}). Closing the connection leaves the game.
 */
@WebSocket(path = "/ws")
public class PlayerSocket {

    private static final TypedKey<Session> SESSION = new TypedKey<>("session");
    private static final Logger LOG = Logger.getLogger(PlayerSocket.class);
    private static final Duration LEAVE_BACKOFF = Duration.ofMillis(200);
    private static final int LEAVE_RETRIES = 5;

    private final GameLogic game;
    private final ObjectMapper json;
    private final OfferPush push;
    private final OpenTelemetry telemetry;
    private final Tracer tracer;

    public PlayerSocket(GameLogic game, ObjectMapper json, OfferPush push, OpenTelemetry telemetry, Tracer tracer) {
        this.game = game;
        this.telemetry = telemetry;
        this.tracer = tracer;
        this.json = json;
        this.push = push;
    }

    @OnTextMessage
    public Uni<Void> onMessage(String text, WebSocketConnection connection) {
        JsonNode message;
        Action action;
        try {
            message = json.readTree(text);
            if (message == null || !message.isObject()) {
                return connection.sendText(error(null, new Problem(400, "bad_request", "a frame is a JSON object with a type")));
            }
            action = json.treeToValue(message, Action.class);
        } catch (Exception e) {
            return connection.sendText(error(null, new Problem(400, "bad_request", "not a JSON action: " + e.getMessage())));
        }
        Long seq = message.hasNonNull("seq") ? message.get("seq").asLong() : null;
        boolean leaving = "leave".equals(action.type());
        return traced(message, action, () -> handle(message, action, connection))
                .map(body -> reply(action.type(), seq, body))
                // The reply goes out before a leaving player's connection closes.
                .chain(reply -> connection.sendText(reply).chain(() -> leaving ? connection.close() : Uni.createFrom().voidItem()))
                .onFailure().recoverWithUni(failure -> connection.sendText(error(seq, Problem.of(failure))));
    }

    /**
     * A WebSocket frame has no headers: a client that traces its actions sends the W3C
     * {@code traceparent} in the frame, and the action's span continues that trace.
     */
    private <T> Uni<T> traced(JsonNode message, Action action, Supplier<Uni<? extends T>> work) {
        Context parent = telemetry.getPropagators().getTextMapPropagator().extract(Context.root(), message, FRAME_FIELDS);
        return Traced.inSpan(tracer.spanBuilder("ws " + (action.type() == null ? "(no type)" : action.type())).setParent(parent).setSpanKind(SpanKind.SERVER),
                span -> Uni.createFrom().<T>deferred(work));
    }

    private static final TextMapGetter<JsonNode> FRAME_FIELDS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(JsonNode frame) {
            return frame::fieldNames;
        }

        @Override
        public String get(JsonNode frame, String key) {
            JsonNode value = frame == null ? null : frame.get(key);
            return value == null || !value.isTextual() ? null : value.asText();
        }
    };

    /**
     * Closing the connection leaves the game. A leave that fails for want of state-service is tried
     * again a few times, with a pause; a leave still failing is logged, since the avatar then stays
     * in the world.
     */
    @OnClose
    public void onClose(WebSocketConnection connection) {
        Session s = connection.userData().get(SESSION);
        if (s == null) {
            return;
        }
        push.unbind(s.playerId(), connection);
        game.leave(s)
                .onFailure(PlayerSocket::worthRetrying).invoke(failure -> LOG.warnf(
                        "player %d disconnected; despawning its avatar failed, trying again: %s", s.playerId(), failure.getMessage()))
                .onFailure(PlayerSocket::worthRetrying).retry().withBackOff(LEAVE_BACKOFF, LEAVE_BACKOFF.multipliedBy(10))
                .atMost(LEAVE_RETRIES)
                .subscribe().with(left -> { }, failure -> LOG.errorf(
                        "player %d disconnected; its avatar stays in the world: %s", s.playerId(), failure.getMessage()));
    }

    /** A refusal will not change on a retry; anything else (down, too slow, breaker open) may. */
    private static boolean worthRetrying(Throwable failure) {
        return !(failure instanceof GameRefusal || failure instanceof Downstream.Refused);
    }

    private Uni<?> handle(JsonNode message, Action action, WebSocketConnection connection) {
        String type = action.type() == null ? "" : action.type();
        Session s = connection.userData().get(SESSION);
        if (type.equals("join")) {
            if (s != null) {
                throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "this connection already plays avatar " + s.playerId());
            }
            return game.join(number(action.x(), "x"), number(action.y(), "y")).map(joined -> {
                connection.userData().put(SESSION, joined);
                push.bind(joined.playerId(), connection);
                return Map.of("playerId", joined.playerId());
            });
        }
        if (s == null) {
            throw new GameRefusal(GameRefusal.Reason.FORBIDDEN, "join first");
        }
        return switch (type) {
            case "look" -> game.look(s, message.path("radius").asDouble(32)).map(Views::entities);
            case "offers" -> game.offers(s).map(Views::offers);
            case "leave" -> game.leave(s).invoke(() -> {
                connection.userData().remove(SESSION);
                push.unbind(s.playerId(), connection);
            }).map(Outcome::of);
            default -> game.act(s, action).map(Outcome::of);
        };
    }

    private String reply(String type, Long seq, Object body) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type);
        out.put("seq", seq);
        out.put("ok", true);
        out.put("body", body);
        return write(out);
    }

    private String error(Long seq, Problem problem) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "error");
        out.put("seq", seq);
        out.put("ok", false);
        out.put("status", problem.status());
        out.put("error", problem.error());
        out.put("message", problem.message());
        return write(out);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("reply is not serializable", e);
        }
    }

    private static double number(Double v, String field) {
        if (v == null) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, field + " is required to join");
        }
        return v;
    }
}
