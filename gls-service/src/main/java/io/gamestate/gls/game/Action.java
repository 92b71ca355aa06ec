package io.gamestate.gls.game;

import java.util.List;

/**
 * One player action, as both gateways (HTTP and WebSocket) receive it: {@code move} (x, y),
 * {@code attack} and {@code harvest} (targetId), {@code trade} (targetId, give, take, items).
 */
public record Action(String type, Double x, Double y, Long targetId, Long give, Long take, List<Long> items) {
}
