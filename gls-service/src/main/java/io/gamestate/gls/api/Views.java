package io.gamestate.gls.api;

import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.RmwResult;
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

    /** What an action changed: the entities after it, and what a harvest yielded. */
    public record Outcome(List<EntityView> entities, long harvested) {
        public static Outcome of(RmwResult r) {
            return new Outcome(r.getEntitiesList().stream().map(EntityView::of).toList(), r.getHarvested());
        }
    }

    public static List<EntityView> entities(List<Entity> entities) {
        return entities.stream().map(EntityView::of).toList();
    }
}
