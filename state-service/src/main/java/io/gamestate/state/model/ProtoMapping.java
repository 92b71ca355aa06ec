package io.gamestate.state.model;

import io.gamestate.common.proto.Attributes;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.Cell;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.LayerAggregate;
import io.gamestate.proto.state.v1.PartitionType;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.Terrain;
import io.gamestate.proto.state.v1.Layer;
import java.util.List;

/** Rows to wire messages, shared by the RMW path and the lookups. */
public final class ProtoMapping {

    private ProtoMapping() {
    }

    public static Entity entity(EntityRecord r) {
        Entity.Builder b = Entity.newBuilder()
                .setId(r.id)
                .setKind(EntityKind.forNumber(r.kind))
                .setOwnerId(r.ownerId)
                .setHp(r.hp)
                .setMaxHp(r.maxHp)
                .setGold(r.gold)
                .setAmount(r.amount)
                .setDead(r.isDead())
                .setParentId(orZero(r.parentId))
                .setFirstChildId(orZero(r.firstChild))
                .setNextSiblingId(orZero(r.nextSibling))
                .setPrevSiblingId(orZero(r.prevSibling))
                .setVersion(r.version)
                .putAllAttributes(Attributes.fromJson(r.attributes));
        if (r.x != null && r.y != null) {
            b.setPosition(Position.newBuilder().setX(r.x).setY(r.y))
                    .setCellId(orZero(r.cellId))
                    .setMorton(orZero(r.morton));
        }
        if (r.itemType != null) {
            b.setItemType(r.itemType);
        }
        return b.build();
    }

    public static Cell cell(CellRecord c, List<CellAggregateRecord> aggregates, TerrainRecord terrain) {
        Cell.Builder b = Cell.newBuilder()
                .setId(c.id)
                .setSuperblockId(c.superblockId)
                .setBounds(Bounds.newBuilder().setMinX(c.minX).setMinY(c.minY).setMaxX(c.maxX).setMaxY(c.maxY))
                .setDepth(c.depth)
                .setPartitionType(PartitionType.forNumber(c.partitionType))
                .setLeaf(c.isLeaf())
                .setParentId(orZero(c.parentId))
                .setFirstChildId(orZero(c.firstChild))
                .setNextSiblingId(orZero(c.nextSibling))
                .setNumEntities(c.numEntities)
                .setRequestQueue(c.requestQueue)
                .setVersion(c.version);
        for (CellAggregateRecord a : aggregates) {
            b.addAggregates(LayerAggregate.newBuilder()
                    .setLayer(Layer.forNumber(a.layer))
                    .setKind(EntityKind.forNumber(a.kind))
                    .setCount(a.entityCount)
                    .setAmountTotal(a.amountTotal)
                    .setHpTotal(a.hpTotal));
        }
        if (terrain != null) {
            b.setTerrain(Terrain.newBuilder()
                    .setBiome(terrain.biome)
                    .setElevation(terrain.elevation)
                    .setWalkable(terrain.walkable != 0));
        }
        return b.build();
    }

    private static long orZero(Long v) {
        return v == null ? 0L : v;
    }
}
