package io.gamestate.query.repository;

import io.gamestate.store.SqlDialect;
import io.gamestate.proto.query.v1.Effect;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.Cell;
import io.gamestate.proto.state.v1.LayerAggregate;
import io.gamestate.proto.state.v1.Terrain;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads of the partition trees and of what is keyed by cell: terrain, effects, aggregates. */
@ApplicationScoped
public class CellRepository {

    private static final String INTERSECTS = " AND c.min_x < ? AND c.max_x > ? AND c.min_y < ? AND c.max_y > ?";

    private final SqlDialect dialect;

    public CellRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** Leaf cells intersecting a half-open box, by id; the superblocks narrow it to the cell_superblock index. */
    public Uni<List<Cell>> leavesIn(Collection<Integer> superblocks, Bounds box, int limit) {
        return dialect.query("SELECT " + Rows.CELL_COLUMNS + " FROM cell c WHERE c.superblock_id IN ("
                        + SqlDialect.markers(superblocks.size()) + ") AND c.first_child IS NULL" + INTERSECTS
                        + " ORDER BY c.id LIMIT ?", intersecting(superblocks, box, limit))
                .map(CellRepository::cells);
    }

    /** Id and version of every cell (leaf or not) intersecting a half-open box, by id. */
    public Uni<Map<Long, Long>> versionsIn(Collection<Integer> superblocks, Bounds box, int limit) {
        return dialect.query("SELECT c.id, c.version FROM cell c WHERE c.superblock_id IN ("
                        + SqlDialect.markers(superblocks.size()) + ")" + INTERSECTS + " ORDER BY c.id LIMIT ?",
                        intersecting(superblocks, box, limit))
                .map(rows -> {
                    Map<Long, Long> out = new LinkedHashMap<>();
                    for (Row r : rows) {
                        out.put(r.getLong(0), r.getLong(1));
                    }
                    return out;
                });
    }

    /** The superblock's whole partition tree, by depth then id. */
    public Uni<List<Cell>> tree(int superblockId, int limit) {
        return dialect.query("SELECT " + Rows.CELL_COLUMNS + " FROM cell c WHERE c.superblock_id = ?"
                + " ORDER BY c.depth, c.id LIMIT ?", Tuple.of(superblockId, (long) limit)).map(CellRepository::cells);
    }

    /** The leaf of the superblock whose half-open bounds contain the point, or null. */
    public Uni<Cell> leafAt(int superblockId, double x, double y) {
        return dialect.query("SELECT " + Rows.CELL_COLUMNS + " FROM cell c WHERE c.superblock_id = ?"
                        + " AND c.first_child IS NULL AND c.min_x <= ? AND c.max_x > ? AND c.min_y <= ? AND c.max_y > ?"
                        + " ORDER BY c.id LIMIT 1", Tuple.of(superblockId, x, x, y, y))
                .map(rows -> rows.size() == 0 ? null : Rows.cell(rows.iterator().next()));
    }

    public Uni<Boolean> exists(long cellId) {
        return dialect.query("SELECT id FROM cell WHERE id = ?", Tuple.of(cellId)).map(rows -> rows.size() > 0);
    }

    public Uni<Map<Long, Terrain>> terrain(Collection<Long> cellIds) {
        return dialect.query("SELECT cell_id, biome, elevation, walkable FROM terrain WHERE cell_id IN ("
                + SqlDialect.markers(cellIds.size()) + ")", Tuple.from(List.copyOf(cellIds))).map(rows -> {
                    Map<Long, Terrain> out = new HashMap<>();
                    for (Row r : rows) {
                        out.put(r.getLong("cell_id"), Rows.terrain(r));
                    }
                    return out;
                });
    }

    /** Effects of the cells not yet expired at nowMs, by cell then id, as (cell id, effect). */
    public Uni<List<Map.Entry<Long, Effect>>> currentEffects(Collection<Long> cellIds, long nowMs, int limit) {
        List<Object> params = new ArrayList<>(cellIds);
        params.add(nowMs);
        params.add((long) limit);
        return dialect.query("SELECT id, cell_id, target_id, kind, magnitude, expires_at FROM effect WHERE cell_id IN ("
                + SqlDialect.markers(cellIds.size()) + ") AND expires_at > ? ORDER BY cell_id, id LIMIT ?",
                Tuple.from(params)).map(rows -> {
                    List<Map.Entry<Long, Effect>> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(Map.entry(r.getLong("cell_id"), Effect.newBuilder()
                                .setId(r.getLong("id"))
                                .setTargetId(r.getLong("target_id"))
                                .setKind(r.getString("kind"))
                                .setMagnitude(r.getInteger("magnitude"))
                                .setExpiresAtMs(r.getLong("expires_at"))
                                .build()));
                    }
                    return out;
                });
    }

    public Uni<List<LayerAggregate>> cellAggregates(long cellId) {
        return dialect.query("SELECT layer, kind, entity_count, amount_total, hp_total FROM cell_aggregate"
                + " WHERE cell_id = ? ORDER BY layer, kind", Tuple.of(cellId)).map(CellRepository::aggregates);
    }

    /** Sums over every cell of the superblock; non-leaf cells hold zeros, so no leaf filter is needed. */
    public Uni<List<LayerAggregate>> superblockAggregates(int superblockId) {
        return dialect.query("SELECT a.layer, a.kind, SUM(a.entity_count), SUM(a.amount_total), SUM(a.hp_total)"
                + " FROM cell_aggregate a JOIN cell c ON c.id = a.cell_id WHERE c.superblock_id = ?"
                + " GROUP BY a.layer, a.kind ORDER BY a.layer, a.kind", Tuple.of(superblockId))
                .map(CellRepository::aggregates);
    }

    /** The stored world geometry (width, height, superblock size), or null before state-service created it. */
    public Uni<double[]> storedWorld() {
        return dialect.query("SELECT width, height, superblock_size FROM world WHERE id = ?", Tuple.of((short) 1))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new double[] {r.getDouble(0), r.getDouble(1), r.getDouble(2)};
                });
    }

    private static Tuple intersecting(Collection<Integer> superblocks, Bounds box, int limit) {
        List<Object> params = new ArrayList<>(superblocks);
        params.addAll(List.of(box.getMaxX(), box.getMinX(), box.getMaxY(), box.getMinY(), (long) limit));
        return Tuple.from(params);
    }

    private static List<Cell> cells(RowSet<Row> rows) {
        List<Cell> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(Rows.cell(r));
        }
        return out;
    }

    private static List<LayerAggregate> aggregates(RowSet<Row> rows) {
        List<LayerAggregate> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(Rows.aggregate(r));
        }
        return out;
    }
}
