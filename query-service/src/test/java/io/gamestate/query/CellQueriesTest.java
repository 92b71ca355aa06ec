package io.gamestate.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.query.v1.Aggregates;
import io.gamestate.proto.query.v1.CellLayers;
import io.gamestate.proto.query.v1.CellRef;
import io.gamestate.proto.query.v1.RegionLayersQuery;
import io.gamestate.proto.query.v1.RegionLayersResponse;
import io.gamestate.proto.query.v1.SuperblockRef;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.Cell;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Layer;
import io.gamestate.proto.state.v1.LayerAggregate;
import io.gamestate.proto.state.v1.PartitionType;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.query.TestWorld.Placed;
import io.gamestate.store.SqlDialect;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Aggregates, partition trees, point location and stacked layers on a world with a hand-built split. */
@QuarkusTest
class CellQueriesTest {

    @Inject
    TestWorld world;

    @Inject
    Pool pool;

    @Inject
    SqlDialect dialect;

    List<Long> children;
    List<Long> grandchildren;
    List<Placed> placed;

    /** Superblock 0 split into quadrants, its first quadrant split again; entities spread over superblocks 0 and 1. */
    @BeforeEach
    void seed() {
        world.reset();
        children = world.split(1);
        grandchildren = world.split(children.get(0));
        Random r = new Random(3);
        List<double[]> specs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int kind = List.of(1, 2, 3, 6).get(r.nextInt(4));
            specs.add(new double[] {kind, r.nextDouble() * 512, r.nextDouble() * 256, 1 + r.nextInt(100), r.nextInt(40)});
        }
        placed = world.placeAll(specs);
    }

    @Test
    void aggregatesEqualSumsOfTheEntityRows() {
        for (long cellId : List.of(grandchildren.get(0), grandchildren.get(3), children.get(2), 2L)) {
            Aggregates got = world.client().cellAggregates(CellRef.newBuilder().setCellId(cellId).build())
                    .await().atMost(TestWorld.WAIT);
            assertThat(figures(got)).as("cell %d", cellId).isEqualTo(recount("e.cell_id = ?", cellId));
        }
        for (int superblock : List.of(0, 1, 2)) {
            Aggregates got = world.client().superblockAggregates(SuperblockRef.newBuilder().setSuperblockId(superblock).build())
                    .await().atMost(TestWorld.WAIT);
            assertThat(figures(got)).as("superblock %d", superblock)
                    .isEqualTo(recount("c.superblock_id = ?", superblock));
            assertThat(got.getAggregatesCount()).isEqualTo(4);
        }
    }

    @Test
    void partitionTreeListsEveryCellWithItsLinks() {
        List<Cell> tree = world.client().partitionTree(SuperblockRef.newBuilder().setSuperblockId(0).build())
                .await().atMost(TestWorld.WAIT).getCellsList();
        assertThat(tree).extracting(Cell::getId).containsExactly(1L, children.get(0), children.get(1), children.get(2),
                children.get(3), grandchildren.get(0), grandchildren.get(1), grandchildren.get(2), grandchildren.get(3));
        Cell root = tree.get(0);
        assertThat(root.getLeaf()).isFalse();
        assertThat(root.getPartitionType()).isEqualTo(PartitionType.PARTITION_SPLIT);
        assertThat(root.getFirstChildId()).isEqualTo(children.get(0));
        Cell first = tree.get(1);
        assertThat(first.getDepth()).isEqualTo(1);
        assertThat(first.getParentId()).isEqualTo(1L);
        assertThat(first.getNextSiblingId()).isEqualTo(children.get(1));
        assertThat(first.getLeaf()).isFalse();
        assertThat(first.getFirstChildId()).isEqualTo(grandchildren.get(0));
        assertThat(tree.get(4).getNextSiblingId()).isZero();
        Cell deepest = tree.get(8);
        assertThat(deepest.getDepth()).isEqualTo(2);
        assertThat(deepest.getLeaf()).isTrue();
        assertThat(deepest.getPartitionType()).isEqualTo(PartitionType.PARTITION_NONE);
        assertThat(deepest.getBounds()).isEqualTo(Bounds.newBuilder().setMinX(64).setMinY(64).setMaxX(128).setMaxY(128).build());
        // Walking the LCRS links from the root reaches every cell exactly once.
        Map<Long, Cell> byId = new HashMap<>();
        tree.forEach(c -> byId.put(c.getId(), c));
        List<Long> walked = new ArrayList<>();
        walk(byId, 1L, walked);
        assertThat(walked).containsExactlyInAnyOrderElementsOf(byId.keySet());
    }

    @Test
    void leafAtFindsTheLeafOnEitherSideOfEveryBorder() {
        assertThat(leafAt(0, 0)).isEqualTo(grandchildren.get(0));
        assertThat(leafAt(63.999, 63.999)).isEqualTo(grandchildren.get(0));
        assertThat(leafAt(64, 0)).isEqualTo(grandchildren.get(1));
        assertThat(leafAt(127.5, 127.5)).isEqualTo(grandchildren.get(3));
        assertThat(leafAt(128, 0)).isEqualTo(children.get(1));
        assertThat(leafAt(0, 128)).isEqualTo(children.get(2));
        assertThat(leafAt(255.9, 255.9)).isEqualTo(children.get(3));
        assertThat(leafAt(256, 0)).isEqualTo(2L);
        assertThat(leafAt(4095.5, 4095.5)).isEqualTo(256L);
    }

    @Test
    void regionLayersStackTheRequestedLayersOfEveryLeaf() {
        long now = System.currentTimeMillis();
        Placed target = placed.stream().filter(p -> p.cellId() == grandchildren.get(3)).findFirst().orElseThrow();
        world.effect(1, target.cellId(), target.id(), now + 60_000);
        world.effect(2, target.cellId(), target.id(), now - 1_000); // expired: not current
        Bounds region = Bounds.newBuilder().setMinX(100).setMinY(100).setMaxX(300).setMaxY(130).build();

        RegionLayersResponse all = world.client().regionLayers(RegionLayersQuery.newBuilder().setRegion(region).build())
                .await().atMost(TestWorld.WAIT);
        assertThat(all.getCellsList()).extracting(c -> c.getCell().getId())
                .containsExactly(2L, children.get(1), children.get(2), children.get(3), grandchildren.get(3));
        for (CellLayers cell : all.getCellsList()) {
            long id = cell.getCell().getId();
            assertThat(cell.getCell().getLeaf()).isTrue();
            assertThat(cell.hasTerrain()).isTrue();
            assertThat(cell.getTerrain().getBiome()).isEqualTo(TestWorld.BIOMES[(int) (id % TestWorld.BIOMES.length)]);
            assertThat(cell.getResourcesList()).extracting(Entity::getId).containsExactlyElementsOf(idsIn(id, true));
            assertThat(cell.getEntitiesList()).extracting(Entity::getId).containsExactlyElementsOf(idsIn(id, false));
            assertThat(cell.getEffectsList()).extracting(e -> e.getId())
                    .containsExactlyElementsOf(id == target.cellId() ? List.of(1L) : List.of());
        }

        RegionLayersResponse resourcesOnly = world.client().regionLayers(RegionLayersQuery.newBuilder().setRegion(region)
                .addLayers(Layer.LAYER_RESOURCES).build()).await().atMost(TestWorld.WAIT);
        for (CellLayers cell : resourcesOnly.getCellsList()) {
            assertThat(cell.hasTerrain()).isFalse();
            assertThat(cell.getEntitiesList()).isEmpty();
            assertThat(cell.getEffectsList()).isEmpty();
            assertThat(cell.getResourcesList()).extracting(Entity::getId)
                    .containsExactlyElementsOf(idsIn(cell.getCell().getId(), true));
        }
    }

    private List<Long> idsIn(long cellId, boolean resources) {
        return placed.stream().filter(p -> p.cellId() == cellId)
                .filter(p -> (p.kind() == EntityKind.ENTITY_KIND_RESOURCE_NODE) == resources).map(Placed::id).toList();
    }

    private long leafAt(double x, double y) {
        return world.client().leafAt(Position.newBuilder().setX(x).setY(y).build()).await().atMost(TestWorld.WAIT).getId();
    }

    private static void walk(Map<Long, Cell> cells, long id, List<Long> out) {
        out.add(id);
        for (long child = cells.get(id).getFirstChildId(); child != 0; child = cells.get(child).getNextSiblingId()) {
            walk(cells, child, out);
        }
    }

    private static Map<String, List<Long>> figures(Aggregates aggregates) {
        Map<String, List<Long>> out = new HashMap<>();
        for (LayerAggregate a : aggregates.getAggregatesList()) {
            out.put(a.getLayer() + "/" + a.getKind(), List.of(a.getCount(), a.getAmountTotal(), a.getHpTotal()));
        }
        return out;
    }

    /** The four placed kinds' figures recomputed from the entity rows matching the condition. */
    private Map<String, List<Long>> recount(String condition, Object value) {
        Map<String, List<Long>> out = new HashMap<>();
        for (EntityKind kind : List.of(EntityKind.ENTITY_KIND_PLAYER, EntityKind.ENTITY_KIND_NPC,
                EntityKind.ENTITY_KIND_RESOURCE_NODE, EntityKind.ENTITY_KIND_GUILD)) {
            Layer layer = Layer.forNumber(TestWorld.layerOf(kind));
            out.put(layer + "/" + kind, List.of(0L, 0L, 0L));
        }
        String sql = "SELECT e.kind, COUNT(*), SUM(e.amount), SUM(e.hp) FROM entity e JOIN cell c ON c.id = e.cell_id"
                + " WHERE " + condition + " GROUP BY e.kind";
        for (Row r : pool.preparedQuery(dialect.sql(sql)).execute(Tuple.of(value)).await().atMost(TestWorld.WAIT)) {
            EntityKind kind = EntityKind.forNumber(r.getInteger(0));
            Layer layer = Layer.forNumber(TestWorld.layerOf(kind));
            out.put(layer + "/" + kind, List.of(r.getLong(1), r.getLong(2), r.getLong(3)));
        }
        return out;
    }
}
