package io.gamestate.state.model;

import com.google.protobuf.DescriptorProtos.EnumValueOptions;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Layer;
import io.gamestate.proto.state.v1.StateProto;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each entity kind is, as state.proto says it on each {@code EntityKind} value (the options
 * {@code placed_in}, {@code creature}, {@code holds}): the one home of the taxonomy, read the same
 * way by every service. Read once, at class load: rules ask on every unit.
 */
public final class Kinds {

    private static final Map<EntityKind, Layer> PLACED_IN = new EnumMap<>(EntityKind.class);
    private static final Set<EntityKind> CREATURES = EnumSet.noneOf(EntityKind.class);
    private static final Map<EntityKind, List<EntityKind>> HOLDS = new EnumMap<>(EntityKind.class);

    static {
        for (EntityKind kind : EntityKind.values()) {
            if (kind == EntityKind.UNRECOGNIZED) {
                continue;
            }
            EnumValueOptions options = kind.getValueDescriptor().getOptions();
            if (options.hasExtension(StateProto.placedIn)) {
                PLACED_IN.put(kind, options.getExtension(StateProto.placedIn));
            }
            if (options.getExtension(StateProto.creature)) {
                CREATURES.add(kind);
            }
            HOLDS.put(kind, options.getExtension(StateProto.holds));
        }
    }

    /** The placed kinds, whose (layer, kind) pairs every cell keeps an aggregate row for. */
    public static final List<EntityKind> PLACED = List.copyOf(PLACED_IN.keySet());

    private Kinds() {
    }

    /** Placed kinds are hierarchy roots with a position; the others hang under a root. */
    public static boolean isPlaced(EntityKind kind) {
        return PLACED_IN.containsKey(kind);
    }

    /** The layer a placed kind is counted in. */
    public static Layer layerOf(EntityKind kind) {
        return PLACED_IN.getOrDefault(kind, Layer.LAYER_UNSPECIFIED);
    }

    public static boolean isCreature(EntityKind kind) {
        return CREATURES.contains(kind);
    }

    public static boolean canHold(EntityKind holder, EntityKind held) {
        return HOLDS.getOrDefault(holder, List.of()).contains(held);
    }
}
