package io.gamestate.state.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;

/** Rows to wire messages, shared by the RMW path and the lookups. */
public final class ProtoMapping {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

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
                .putAllAttributes(attributes(r.attributes));
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

    public static String attributesJson(Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("attributes are not serializable", e);
        }
    }

    private static Map<String, String> attributes(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attributes are not a JSON object of strings", e);
        }
    }

    private static long orZero(Long v) {
        return v == null ? 0L : v;
    }
}
