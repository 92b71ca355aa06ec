package io.gamestate.gls.game;

import java.util.List;

/**
 * One player action, as every gateway (HTTP, WebSocket, GameService) receives it: {@code move}
 * (x, y), {@code attack} and {@code harvest} (targetId), {@code offer} (targetId: the player offered
 * to; give: gold to them, take: gold from them, items: own items to them, takeItems: their items
 * wanted), {@code accept} and {@code cancel} (offerId).
 */
public record Action(String type, Double x, Double y, Long targetId, Long give, Long take, List<Long> items,
                     List<Long> takeItems, String offerId) {
}
