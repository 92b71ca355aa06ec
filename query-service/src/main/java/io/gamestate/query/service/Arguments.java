package io.gamestate.query.service;

import io.gamestate.query.spatial.Regions;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Layer;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.StateProto;
import io.gamestate.query.config.QueryConfig;
import io.gamestate.common.world.WorldGeometry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Checks of request fields before any database work; failures are INVALID_ARGUMENT naming the field. */
@ApplicationScoped
public class Arguments {

    /** The kinds placed in the world, by layer. */
    static final Set<EntityKind> RESOURCE_KINDS = placedIn(Layer.LAYER_RESOURCES);
    static final Set<EntityKind> ENTITY_KINDS = placedIn(Layer.LAYER_ENTITIES);
    static final Set<Layer> ALL_LAYERS = EnumSet.of(Layer.LAYER_TERRAIN, Layer.LAYER_RESOURCES, Layer.LAYER_ENTITIES,
            Layer.LAYER_EFFECTS);

    private final WorldGeometry geometry;
    private final QueryConfig.Query limits;

    public Arguments(WorldGeometry geometry, QueryConfig config) {
        this.geometry = geometry;
        this.limits = config.query();
    }

    /** A finite, non-empty, non-inverted half-open box, clipped to the world (null if outside it). */
    public Bounds box(boolean present, Bounds box, String field) {
        if (!present) {
            throw Statuses.invalid(field + " is required");
        }
        if (!allFinite(box.getMinX(), box.getMinY(), box.getMaxX(), box.getMaxY())) {
            throw Statuses.invalid(field + " has a NaN or infinite coordinate");
        }
        if (box.getMinX() >= box.getMaxX() || box.getMinY() >= box.getMaxY()) {
            throw Statuses.invalid(field + " is empty or inverted: min_x < max_x and min_y < max_y are required");
        }
        return Regions.clip(geometry, box);
    }

    public Position point(boolean present, Position p, String field) {
        if (!present) {
            throw Statuses.invalid(field + " is required");
        }
        if (!allFinite(p.getX(), p.getY())) {
            throw Statuses.invalid(field + " has a NaN or infinite coordinate");
        }
        return p;
    }

    /** A finite point inside the world (distances from far outside it would overflow). */
    public Position inWorld(boolean present, Position p, String field) {
        point(present, p, field);
        if (!geometry.contains(p.getX(), p.getY())) {
            throw Statuses.invalid(field + " (" + p.getX() + ", " + p.getY() + ") is outside the "
                    + geometry.width() + " x " + geometry.height() + " world");
        }
        return p;
    }

    public double nonNegative(double value, String field) {
        if (!Double.isFinite(value) || value < 0) {
            throw Statuses.invalid(field + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    /** A result limit: 0 = the maximum, above it INVALID_ARGUMENT. */
    public int limit(int limit) {
        if (limit < 0 || limit > limits.maxResults()) {
            throw Statuses.invalid("limit must be between 0 and " + limits.maxResults() + ", got " + limit);
        }
        return limit == 0 ? limits.maxResults() : limit;
    }

    public int k(int k) {
        if (k <= 0 || k > limits.maxK()) {
            throw Statuses.invalid("k must be between 1 and gamestate.query.max-k (" + limits.maxK() + "), got " + k);
        }
        return k;
    }

    /**
     * The placed kinds an entity query asks for, as stored codes: the kinds filter intersected
     * with the kinds of the layers filter (either empty = no filter). May be empty.
     */
    public Set<Short> placedKinds(List<EntityKind> kinds, List<Layer> layers) {
        Set<EntityKind> wanted = EnumSet.copyOf(RESOURCE_KINDS);
        wanted.addAll(ENTITY_KINDS);
        if (!kinds.isEmpty()) {
            Set<EntityKind> asked = EnumSet.noneOf(EntityKind.class);
            for (EntityKind k : kinds) {
                if (k == EntityKind.UNRECOGNIZED || k == EntityKind.ENTITY_KIND_UNSPECIFIED) {
                    throw Statuses.invalid("kinds holds an unknown kind");
                }
                if (!wanted.contains(k)) {
                    throw Statuses.invalid("kinds: " + k + " is held by another entity, never placed in the world");
                }
                asked.add(k);
            }
            wanted.retainAll(asked);
        }
        if (!layers.isEmpty()) {
            Set<EntityKind> ofLayers = EnumSet.noneOf(EntityKind.class);
            for (Layer layer : layers(layers)) {
                switch (layer) {
                    case LAYER_RESOURCES -> ofLayers.addAll(RESOURCE_KINDS);
                    case LAYER_ENTITIES -> ofLayers.addAll(ENTITY_KINDS);
                    default -> throw Statuses.invalid("layers: " + layer + " holds no entities;"
                            + " entity queries take LAYER_RESOURCES and LAYER_ENTITIES");
                }
            }
            wanted.retainAll(ofLayers);
        }
        return codes(wanted);
    }

    /** Known layers; empty = all of them. */
    public Set<Layer> layers(List<Layer> layers) {
        if (layers.isEmpty()) {
            return ALL_LAYERS;
        }
        Set<Layer> out = EnumSet.noneOf(Layer.class);
        for (Layer layer : layers) {
            if (layer == Layer.UNRECOGNIZED || layer == Layer.LAYER_UNSPECIFIED) {
                throw Statuses.invalid("layers holds an unknown layer");
            }
            out.add(layer);
        }
        return out;
    }

    public static Set<Short> codes(Set<EntityKind> kinds) {
        Set<Short> out = new TreeSet<>();
        kinds.forEach(k -> out.add((short) k.getNumber()));
        return out;
    }

    private static boolean allFinite(double... values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The kinds state.proto places in a layer (its {@code placed_in} option on each EntityKind). */
    private static Set<EntityKind> placedIn(Layer layer) {
        Set<EntityKind> kinds = EnumSet.noneOf(EntityKind.class);
        for (EntityKind kind : EntityKind.values()) {
            if (kind != EntityKind.UNRECOGNIZED && kind.getValueDescriptor().getOptions().hasExtension(StateProto.placedIn)
                    && kind.getValueDescriptor().getOptions().getExtension(StateProto.placedIn) == layer) {
                kinds.add(kind);
            }
        }
        return kinds;
    }
}
