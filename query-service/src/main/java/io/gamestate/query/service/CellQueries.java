package io.gamestate.query.service;

import io.gamestate.query.spatial.Regions;
import io.gamestate.proto.query.v1.Aggregates;
import io.gamestate.proto.query.v1.CellLayers;
import io.gamestate.proto.query.v1.Effect;
import io.gamestate.proto.query.v1.PartitionTreeResponse;
import io.gamestate.proto.query.v1.RegionLayersResponse;
import io.gamestate.proto.query.v1.RegionLayersQuery;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.Cell;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Layer;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.Terrain;
import io.gamestate.query.config.QueryConfig;
import io.gamestate.query.repository.CellRepository;
import io.gamestate.query.repository.EntityRepository;
import io.gamestate.common.world.WorldGeometry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Cell-keyed reads: stacked layers of a region, aggregates, partition trees, point location. */
@ApplicationScoped
public class CellQueries {

    private final CellRepository cells;
    private final EntityRepository entities;
    private final WorldGeometry geometry;
    private final Arguments args;
    private final QueryConfig.Query limits;

    public CellQueries(CellRepository cells, EntityRepository entities, WorldGeometry geometry, Arguments args,
            QueryConfig config) {
        this.cells = cells;
        this.entities = entities;
        this.geometry = geometry;
        this.args = args;
        this.limits = config.query();
    }

    /**
     * The leaves intersecting the region with the requested layers: one statement for the leaves,
     * then one per layer family for all of them at once (the statements run side by side).
     */
    public Uni<RegionLayersResponse> regionLayers(RegionLayersQuery q) {
        Bounds region = args.box(q.hasRegion(), q.getRegion(), "region");
        Set<Layer> layers = args.layers(q.getLayersList());
        if (region == null) {
            return Uni.createFrom().item(RegionLayersResponse.getDefaultInstance());
        }
        int maxCells = limits.maxRegionCells();
        // Every superblock holds at least one leaf: a region over too many superblocks is refused unread.
        if (Regions.superblockCount(geometry, region) > maxCells) {
            throw tooManyCells(maxCells);
        }
        return cells.leavesIn(Regions.superblocks(geometry, region), region, maxCells + 1).chain(leaves -> {
            if (leaves.size() > maxCells) {
                throw tooManyCells(maxCells);
            }
            if (leaves.isEmpty()) {
                return Uni.createFrom().item(RegionLayersResponse.getDefaultInstance());
            }
            List<Long> ids = leaves.stream().map(Cell::getId).toList();
            Set<EntityKind> kinds = EnumSet.noneOf(EntityKind.class);
            if (layers.contains(Layer.LAYER_RESOURCES)) {
                kinds.addAll(Arguments.RESOURCE_KINDS);
            }
            if (layers.contains(Layer.LAYER_ENTITIES)) {
                kinds.addAll(Arguments.ENTITY_KINDS);
            }
            int maxEntities = limits.maxRegionEntities();
            Uni<Map<Long, Terrain>> terrain = layers.contains(Layer.LAYER_TERRAIN)
                    ? cells.terrain(ids) : Uni.createFrom().item(Map.of());
            Uni<List<Entity>> placed = kinds.isEmpty() ? Uni.createFrom().item(List.of())
                    : entities.inCells(ids, Arguments.codes(kinds), maxEntities + 1);
            Uni<List<Map.Entry<Long, Effect>>> effects = layers.contains(Layer.LAYER_EFFECTS)
                    ? cells.currentEffects(ids, System.currentTimeMillis(), maxEntities + 1) : Uni.createFrom().item(List.of());
            return Uni.combine().all().unis(terrain, placed, effects).asTuple().map(t -> {
                if (t.getItem2().size() > maxEntities || t.getItem3().size() > maxEntities) {
                    throw Statuses.tooMuch("region holds more than gamestate.query.max-region-entities ("
                            + maxEntities + ") entities or effects; ask for a smaller region or fewer layers");
                }
                Map<Long, CellLayers.Builder> out = new LinkedHashMap<>();
                for (Cell leaf : leaves) {
                    CellLayers.Builder b = CellLayers.newBuilder().setCell(leaf);
                    Terrain ground = t.getItem1().get(leaf.getId());
                    if (ground != null) {
                        b.setTerrain(ground);
                    }
                    out.put(leaf.getId(), b);
                }
                for (Entity e : t.getItem2()) {
                    CellLayers.Builder b = out.get(e.getCellId());
                    if (Arguments.RESOURCE_KINDS.contains(e.getKind())) {
                        b.addResources(e);
                    } else {
                        b.addEntities(e);
                    }
                }
                t.getItem3().forEach(effect -> out.get(effect.getKey()).addEffects(effect.getValue()));
                RegionLayersResponse.Builder response = RegionLayersResponse.newBuilder();
                out.values().forEach(response::addCells);
                return response.build();
            });
        });
    }

    public Uni<Aggregates> cellAggregates(long cellId) {
        if (cellId <= 0) {
            throw Statuses.invalid("cell_id must be positive, got " + cellId);
        }
        return cells.exists(cellId).chain(exists -> {
            if (!exists) {
                throw Statuses.notFound("cell " + cellId + " does not exist");
            }
            return cells.cellAggregates(cellId);
        }).map(list -> Aggregates.newBuilder().addAllAggregates(list).build());
    }

    public Uni<Aggregates> superblockAggregates(int superblockId) {
        checkSuperblock(superblockId);
        return cells.superblockAggregates(superblockId).map(list -> Aggregates.newBuilder().addAllAggregates(list).build());
    }

    public Uni<PartitionTreeResponse> partitionTree(int superblockId) {
        checkSuperblock(superblockId);
        int max = limits.maxTreeCells();
        return cells.tree(superblockId, max + 1).map(tree -> {
            if (tree.isEmpty()) {
                throw Statuses.notFound("superblock " + superblockId + " has no cells: the world is not created yet");
            }
            if (tree.size() > max) {
                throw Statuses.tooMuch("superblock " + superblockId + " has more than gamestate.query.max-tree-cells ("
                        + max + ") cells");
            }
            return PartitionTreeResponse.newBuilder().addAllCells(tree).build();
        });
    }

    public Uni<Cell> leafAt(Position p) {
        args.inWorld(true, p, "position");
        return cells.leafAt(geometry.superblockAt(p.getX(), p.getY()), p.getX(), p.getY()).map(leaf -> {
            if (leaf == null) {
                throw Statuses.notFound("no leaf cell contains (" + p.getX() + ", " + p.getY() + ")");
            }
            return leaf;
        });
    }

    private void checkSuperblock(int superblockId) {
        if (superblockId < 0) {
            throw Statuses.invalid("superblock_id must be >= 0, got " + superblockId);
        }
        if (superblockId >= geometry.superblockCount()) {
            throw Statuses.notFound("superblock " + superblockId + " does not exist: the world has "
                    + geometry.superblockCount() + " superblocks");
        }
    }

    private static RuntimeException tooManyCells(int max) {
        return Statuses.invalid("region covers more than gamestate.query.max-region-cells (" + max
                + ") leaf cells; ask for a smaller region");
    }
}
