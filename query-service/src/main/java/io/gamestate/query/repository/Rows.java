package io.gamestate.query.repository;

import io.gamestate.common.proto.Attributes;
import io.gamestate.store.Columns;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.Cell;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Layer;
import io.gamestate.proto.state.v1.LayerAggregate;
import io.gamestate.proto.state.v1.PartitionType;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.Terrain;
import io.vertx.mutiny.sqlclient.Row;

/** Rows of the shared tables to wire messages. Getters coerce numbers, so both families map alike. */
public final class Rows {

    public static final String ENTITY_COLUMNS = Columns.list(Columns.ENTITY, "e");
    public static final String CELL_COLUMNS = Columns.list(Columns.CELL, "c");

    private Rows() {
    }

    public static Entity entity(Row r) {
        Entity.Builder b = Entity.newBuilder()
                .setId(r.getLong("id"))
                .setKind(EntityKind.forNumber(r.getInteger("kind")))
                .setOwnerId(r.getLong("owner_id"))
                .setParentId(orZero(r.getLong("parent_id")))
                .setFirstChildId(orZero(r.getLong("first_child")))
                .setNextSiblingId(orZero(r.getLong("next_sibling")))
                .setPrevSiblingId(orZero(r.getLong("prev_sibling")))
                .setHp(r.getInteger("hp"))
                .setMaxHp(r.getInteger("max_hp"))
                .setGold(r.getLong("gold"))
                .setAmount(r.getLong("amount"))
                .setDead(r.getInteger("dead") != 0)
                .setVersion(r.getLong("version"))
                .putAllAttributes(Attributes.fromJson(r.getString("attributes")));
        Double x = r.getDouble("x");
        Double y = r.getDouble("y");
        if (x != null && y != null) {
            b.setPosition(Position.newBuilder().setX(x).setY(y))
                    .setCellId(orZero(r.getLong("cell_id")))
                    .setMorton(orZero(r.getLong("morton")));
        }
        String itemType = r.getString("item_type");
        if (itemType != null) {
            b.setItemType(itemType);
        }
        return b.build();
    }

    public static Cell cell(Row r) {
        boolean leaf = r.getLong("first_child") == null;
        return Cell.newBuilder()
                .setId(r.getLong("id"))
                .setSuperblockId(r.getInteger("superblock_id"))
                .setBounds(Bounds.newBuilder().setMinX(r.getDouble("min_x")).setMinY(r.getDouble("min_y"))
                        .setMaxX(r.getDouble("max_x")).setMaxY(r.getDouble("max_y")))
                .setDepth(r.getInteger("depth"))
                .setPartitionType(PartitionType.forNumber(r.getInteger("partition_type")))
                .setLeaf(leaf)
                .setParentId(orZero(r.getLong("parent_id")))
                .setFirstChildId(orZero(r.getLong("first_child")))
                .setNextSiblingId(orZero(r.getLong("next_sibling")))
                .setNumEntities(r.getInteger("num_entities"))
                .setRequestQueue(r.getInteger("request_queue"))
                .setVersion(r.getLong("version"))
                .build();
    }

    public static Terrain terrain(Row r) {
        return Terrain.newBuilder()
                .setBiome(r.getString("biome"))
                .setElevation(r.getInteger("elevation"))
                .setWalkable(r.getInteger("walkable") != 0)
                .build();
    }

    /** Columns: layer, kind, count, amount total, hp total (sums come back as numeric/decimal). */
    public static LayerAggregate aggregate(Row r) {
        return LayerAggregate.newBuilder()
                .setLayer(Layer.forNumber(r.getInteger(0)))
                .setKind(EntityKind.forNumber(r.getInteger(1)))
                .setCount(r.getLong(2))
                .setAmountTotal(r.getLong(3))
                .setHpTotal(r.getLong(4))
                .build();
    }

    private static long orZero(Long v) {
        return v == null ? 0L : v;
    }
}
