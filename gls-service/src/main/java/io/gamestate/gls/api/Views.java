package io.gamestate.gls.api;

import io.gamestate.gls.game.Acted;
import io.gamestate.gls.game.TradeOffer;
import io.gamestate.proto.state.v1.Entity;
import java.util.List;

/** What players see of the game state, as JSON. */
public final class Views {

    private Views() {
    }

    public record EntityView(long id, String kind, Double x, Double y, long cellId, int hp, long gold, long amount,
                             String itemType, boolean dead) {
        public static EntityView of(Entity e) {
            return new EntityView(e.getId(), e.getKind().name().replace("ENTITY_KIND_", "").toLowerCase(),
                    e.hasPosition() ? e.getPosition().getX() : null, e.hasPosition() ? e.getPosition().getY() : null,
                    e.getCellId(), e.getHp(), e.getGold(), e.getAmount(), e.getItemType(), e.getDead());
        }
    }

    /** A trade offer: {@code fromId} gives {@code give} gold and {@code items}, {@code toId} gives {@code take} gold and {@code takeItems}. */
    public record OfferView(String offerId, long fromId, long toId, long give, long take, List<Long> items,
                            List<Long> takeItems, String expiresAt) {
        public static OfferView of(TradeOffer o) {
            return new OfferView(o.id(), o.fromId(), o.toId(), o.give(), o.take(), o.items(), o.takeItems(),
                    o.expiresAt().toString());
        }
    }

    /**
     * What an action changed: the entities after it, what a harvest yielded, whether it was a replay
     * of an earlier identical request (a re-sent acceptance), and the offer an offer or cancel concerned.
     */
    public record Outcome(List<EntityView> entities, long harvested, boolean replayed, OfferView offer) {
        public static Outcome of(Acted acted) {
            return new Outcome(Views.entities(acted.entities()), acted.harvested(), acted.replayed(),
                    acted.offer() == null ? null : OfferView.of(acted.offer()));
        }
    }

    public static List<EntityView> entities(List<Entity> entities) {
        return entities.stream().map(EntityView::of).toList();
    }

    public static List<OfferView> offers(List<TradeOffer> offers) {
        return offers.stream().map(OfferView::of).toList();
    }
}
