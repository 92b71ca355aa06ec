package io.gamestate.gatling;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The GLS's WebSocket protocol as Gatling steps: one JSON frame per action with a fresh {@code seq}
 * and {@code traceparent}, awaiting the reply that echoes the seq. The reply's answer ({@code ok} or
 * the error code) is saved as {@link #OUTCOME} and checked against the refusals the action may
 * legitimately get ({@link ActionOutcomes}). The in-game actions (move, look, harvest, attack, offer, accept)
 * run in the group {@link #PLAY}: its response time per action is the reply's alone (the send
 * counts 0 ms), so the group's percentiles are those of the game, without the once-per-session
 * join and leave, which on a cold GLS include its warm-up.
 */
final class PlayerSocketActions {

    static final String OUTCOME = "outcome";
    static final String PLAY = "play";
    private static final String SEQ = "seq";
    private static final String OFFERS_TO_ME = "offersToMe";
    private static final int REPLY_SECONDS = 5;

    private PlayerSocketActions() {
    }

    /** Binds the connection to a new avatar at the session's {@code x}, {@code y}; saves {@code playerId}. */
    static ChainBuilder join() {
        return exec(session -> session.set(SEQ, 0L))
                .exec(exchange("join", s -> ",\"x\":" + s.getDouble("x") + ",\"y\":" + s.getDouble("y"),
                        ActionOutcomes.NO_REFUSALS, jsonPath("$.body.playerId").ofLong().saveAs("playerId")));
    }

    /** A move to {@code nextX}, {@code nextY}. */
    static ChainBuilder move() {
        return play("move", s -> ",\"x\":" + s.getDouble("nextX") + ",\"y\":" + s.getDouble("nextY"),
                ActionOutcomes.MOVE_REFUSALS);
    }

    /** What is around the avatar, saved as {@code seen} (a list of entity views). */
    static ChainBuilder look(double radius) {
        return exec(session -> session.remove("seen"))
                .exec(play("look", s -> ",\"radius\":" + radius, ActionOutcomes.NO_REFUSALS,
                        jsonPath("$.body[*]").ofMap().findAll().optional().saveAs("seen")));
    }

    /** Harvests {@code targetId}; the stack the yield landed in is saved as {@code stackId}. */
    static ChainBuilder harvest() {
        return play("harvest", s -> ",\"targetId\":" + s.getLong("targetId"), ActionOutcomes.TARGET_REFUSALS,
                jsonPath("$.body.entities[?(@.kind == 'item')].id").ofLong().optional().saveAs("stackId"));
    }

    static ChainBuilder attack() {
        return play("attack", s -> ",\"targetId\":" + s.getLong("targetId"), ActionOutcomes.TARGET_REFUSALS);
    }

    /**
     * Offers {@code targetId} a trade: {@code give} and {@code take} gold, the items in {@code offeredItems}
     * (a list of ids, whose {@code toString} is already a JSON array). Nothing moves until that player accepts.
     */
    static ChainBuilder offer() {
        return play("offer", s -> ",\"targetId\":" + s.getLong("targetId") + ",\"give\":" + s.getLong("give")
                + ",\"take\":" + s.getLong("take") + ",\"items\":" + s.<Long>getList("offeredItems"), ActionOutcomes.OFFER_REFUSALS);
    }

    /**
     * Lists the open offers ({@code offers}) and saves the ids of those made to this player as
     * {@code offersToMe}, oldest first. (The GLS also pushes each offer as an {@code offer_received}
     * frame; Gatling's buffer of unmatched frames did not hand them to the scenario reliably, so the
     * players poll, as a client without a WebSocket does.)
     */
    static ChainBuilder pollOffers() {
        return exec(session -> session.remove(OFFERS_TO_ME))
                .exec(play("offers", s -> "", ActionOutcomes.NO_REFUSALS,
                        jsonPath(s -> "$.body[?(@.toId == " + s.getLong("playerId") + ")].offerId").findAll().optional()
                                .saveAs(OFFERS_TO_ME)));
    }

    /** Accepts the oldest offer in {@code offersToMe}. */
    static ChainBuilder acceptOldestOffer() {
        return exec(session -> {
                    List<String> offers = session.getList(OFFERS_TO_ME);
                    return session.set("offerId", offers.get(0)).set(OFFERS_TO_ME, offers.subList(1, offers.size()));
                })
                .exec(play("accept", s -> ",\"offerId\":\"" + s.getString("offerId") + "\"", ActionOutcomes.ACCEPT_REFUSALS));
    }

    static boolean hasOffers(Session session) {
        return session.contains(OFFERS_TO_ME) && !session.<String>getList(OFFERS_TO_ME).isEmpty();
    }

    static ChainBuilder leave() {
        return exchange("leave", s -> "", ActionOutcomes.NO_REFUSALS);
    }

    private static ChainBuilder play(String type, Function<Session, String> fields, List<String> acceptedRefusals,
                                     CheckBuilder... extraChecks) {
        return group(PLAY).on(exchange(type, fields, acceptedRefusals, extraChecks));
    }

    /**
     * Sends one frame and awaits its reply. The reply is an OK answer if it says {@code "ok": true} or
     * carries one of the accepted refusal codes; anything else (another code, no code, no reply) is KO.
     */
    private static ChainBuilder exchange(String type, Function<Session, String> fields, List<String> acceptedRefusals,
                                         CheckBuilder... extraChecks) {
        List<CheckBuilder> checks = new ArrayList<>();
        // "ok" for a success, else the error code; a reply with neither finds nothing and is KO.
        checks.add(jmesPath("ok && 'ok' || error").transform(ActionOutcomes.counted(type))
                .in(ActionOutcomes.accepted(acceptedRefusals)).saveAs(OUTCOME));
        checks.addAll(List.of(extraChecks));
        return exec(session -> session.set(SEQ, session.getLong(SEQ) + 1).remove(OUTCOME))
                // Gatling logs the send itself as a 0 ms event: it gets a name of its own, so the
                // action's row (and its percentiles) holds only the replies.
                .exec(ws("send " + type).sendText(session -> frame(type, session.getLong(SEQ), fields.apply(session)))
                        .await(REPLY_SECONDS).on(ws.checkTextMessage(type)
                                .matching(jsonPath("$.seq").ofLong().is(session -> session.getLong(SEQ)))
                                .check(checks)));
    }

    private static String frame(String type, long seq, String fields) {
        return "{\"type\":\"" + type + "\",\"seq\":" + seq + fields + ",\"traceparent\":\"" + TraceParent.next() + "\"}";
    }
}
