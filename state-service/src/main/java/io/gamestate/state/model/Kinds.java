package io.gamestate.state.model;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Layer;
import io.gamestate.proto.state.v1.StateProto;
import java.util.Arrays;
import java.util.List;

/**
 * What each entity kind is, as state.proto says it on each {@code EntityKind} value (the options
 * {@code placed_in}, {@code creature}, {@code holds}): the one home of the taxonomy, read the same
 * way by every service.
 */
public final class Kinds {

    /** The placed kinds, whose (layer, kind) pairs every cell keeps an aggregate row for. */
    public static final List<EntityKind> PLACED = Arrays.stream(EntityKind.values())
            .filter(k -> k != EntityKind.UNRECOGNIZED && isPlaced(k)).toList();

    private Kinds() {
    }

    /** Placed kinds are hierarchy roots with a position; the others hang under a root. */
    public static boolean isPlaced(EntityKind kind) {
        return kind != EntityKind.UNRECOGNIZED && kind.getValueDescriptor().getOptions().hasExtension(StateProto.placedIn);
    }

    /** The layer a placed kind is counted in. */
    public static Layer layerOf(EntityKind kind) {
        return kind.getValueDescriptor().getOptions().getExtension(StateProto.placedIn);
    }

    public static boolean isCreature(EntityKind kind) {
        return kind != EntityKind.UNRECOGNIZED && kind.getValueDescriptor().getOptions().getExtension(StateProto.creature);
    }

    public static boolean canHold(EntityKind holder, EntityKind held) {
        return holder != EntityKind.UNRECOGNIZED
                && holder.getValueDescriptor().getOptions().getExtension(StateProto.holds).contains(held);
    }
}
