package io.gamestate.state.model;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Layer;
import java.util.List;
import java.util.Set;

/** What each entity kind is: placed in the world or held, its layer, what it may hold. */
public final class Kinds {

    /** The (layer, kind) pairs every cell keeps an aggregate row for. */
    public static final List<EntityKind> PLACED = List.of(
            EntityKind.ENTITY_KIND_PLAYER, EntityKind.ENTITY_KIND_NPC,
            EntityKind.ENTITY_KIND_RESOURCE_NODE, EntityKind.ENTITY_KIND_GUILD);

    private Kinds() {
    }

    /** Placed kinds are hierarchy roots with a position; the others hang under a root. */
    public static boolean isPlaced(EntityKind kind) {
        return PLACED.contains(kind);
    }

    public static Layer layerOf(EntityKind kind) {
        return kind == EntityKind.ENTITY_KIND_RESOURCE_NODE ? Layer.LAYER_RESOURCES : Layer.LAYER_ENTITIES;
    }

    public static boolean isCreature(EntityKind kind) {
        return kind == EntityKind.ENTITY_KIND_PLAYER || kind == EntityKind.ENTITY_KIND_NPC;
    }

    public static boolean canHold(EntityKind holder, EntityKind held) {
        return switch (holder) {
            case ENTITY_KIND_PLAYER, ENTITY_KIND_NPC, ENTITY_KIND_CONTAINER ->
                    Set.of(EntityKind.ENTITY_KIND_ITEM, EntityKind.ENTITY_KIND_CONTAINER).contains(held);
            case ENTITY_KIND_GUILD ->
                    Set.of(EntityKind.ENTITY_KIND_PARTY, EntityKind.ENTITY_KIND_MEMBER).contains(held);
            case ENTITY_KIND_PARTY -> held == EntityKind.ENTITY_KIND_MEMBER;
            default -> false;
        };
    }
}
