package io.gamestate.gls.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamestate.gls.api.Views.OfferView;
import io.gamestate.gls.game.TradeOffer;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Tells a player on a WebSocket at once that a trade was offered to it: an
 * {@code {"type":"offer_received","body":{offer}}} frame, without a {@code seq} since it answers
 * nothing the player sent. Players without a WebSocket list their offers instead.
 */
@ApplicationScoped
public class OfferPush {

    private static final Logger LOG = Logger.getLogger(OfferPush.class);

    private final Map<Long, WebSocketConnection> byPlayer = new ConcurrentHashMap<>();
    private final ObjectMapper json;

    public OfferPush(ObjectMapper json) {
        this.json = json;
    }

    void bind(long playerId, WebSocketConnection connection) {
        byPlayer.put(playerId, connection);
    }

    void unbind(long playerId, WebSocketConnection connection) {
        byPlayer.remove(playerId, connection);
    }

    void offered(@Observes TradeOffer offer) {
        WebSocketConnection connection = byPlayer.get(offer.toId());
        if (connection == null || !connection.isOpen()) {
            return;
        }
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "offer_received");
        frame.put("ok", true);
        frame.put("body", OfferView.of(offer));
        try {
            connection.sendText(json.writeValueAsString(frame)).subscribe().with(sent -> { },
                    // The player can still list its offers; the offer itself is unaffected.
                    failure -> LOG.debugf("offer %s not pushed to player %d: %s", offer.id(), offer.toId(), failure.getMessage()));
        } catch (Exception e) {
            throw new IllegalStateException("offer frame is not serializable", e);
        }
    }
}
