package io.gamestate.gls.game;

import java.time.Instant;
import java.util.List;

/**
 * A trade player {@code fromId} offered player {@code toId}: {@code give} gold and {@code items} from
 * the offerer, {@code take} gold and {@code takeItems} from the other. Exactly these terms are applied
 * when the other player accepts before {@code expiresAt}.
 */
public record TradeOffer(String id, long fromId, long toId, long give, long take, List<Long> items, List<Long> takeItems,
                         Instant expiresAt) {
}
