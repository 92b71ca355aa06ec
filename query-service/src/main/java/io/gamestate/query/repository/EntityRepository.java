package io.gamestate.query.repository;

import io.gamestate.store.SqlDialect;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.common.world.KeyRange;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads of the entity table: Morton range scans, entities of cells, hierarchies. */
@ApplicationScoped
public class EntityRepository {

    private final SqlDialect dialect;

    public EntityRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Placed entities in a box: one index range scan per Morton range, the exact half-open box
     * test, the kinds, and optionally a disc (center and squared radius).
     */
    public record SpatialScan(List<KeyRange> ranges, Bounds box, Collection<Short> kinds, Position center,
            double radiusSquared, Order order, int limit) {
    }

    public enum Order {
        /** Z-order, the order of the index: a limit then keeps a spatially coherent subset. */
        MORTON,
        /** Distance from the scan's center, then id. */
        DISTANCE
    }

    /** A statement with its parameters; tests EXPLAIN it. */
    public record Statement(String sql, Tuple params) {
    }

    public Statement statement(SpatialScan scan) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(Rows.ENTITY_COLUMNS).append(" FROM entity e WHERE (");
        for (int i = 0; i < scan.ranges().size(); i++) {
            sql.append(i == 0 ? "" : " OR ").append("e.morton BETWEEN ? AND ?");
            params.add(scan.ranges().get(i).lo());
            params.add(scan.ranges().get(i).hi());
        }
        sql.append(") AND e.x >= ? AND e.x < ? AND e.y >= ? AND e.y < ? AND e.kind IN (")
                .append(SqlDialect.markers(scan.kinds().size())).append(")");
        params.addAll(List.of(scan.box().getMinX(), scan.box().getMaxX(), scan.box().getMinY(), scan.box().getMaxY()));
        params.addAll(scan.kinds());
        if (scan.center() != null) {
            sql.append(" AND ").append(squaredDistance(params, scan.center())).append(" <= ?");
            params.add(scan.radiusSquared());
        }
        sql.append(" ORDER BY ").append(scan.order() == Order.MORTON
                ? "e.morton, e.id" : squaredDistance(params, scan.center()) + ", e.id");
        sql.append(" LIMIT ?");
        params.add((long) scan.limit());
        return new Statement(sql.toString(), Tuple.from(params));
    }

    public Uni<List<Entity>> scan(SpatialScan scan) {
        Statement s = statement(scan);
        return dialect.query(s.sql(), s.params()).map(EntityRepository::entities);
    }

    /** Placed entities of the given kinds in the given cells, by cell then id. */
    public Uni<List<Entity>> inCells(Collection<Long> cellIds, Collection<Short> kinds, int limit) {
        List<Object> params = new ArrayList<>(cellIds);
        params.addAll(kinds);
        params.add((long) limit);
        return dialect.query("SELECT " + Rows.ENTITY_COLUMNS + " FROM entity e WHERE e.cell_id IN ("
                + SqlDialect.markers(cellIds.size()) + ") AND e.kind IN (" + SqlDialect.markers(kinds.size())
                + ") ORDER BY e.cell_id, e.id LIMIT ?", Tuple.from(params)).map(EntityRepository::entities);
    }

    public record SubtreeRow(Entity entity, int depth) {
    }

    /**
     * One page of the hierarchy under a root, breadth-first by (depth, id), after the keyset
     * (afterDepth, afterId). The recursion follows parent links (the entity_parent index) and
     * stops at maxDepth.
     */
    public Uni<List<SubtreeRow>> subtreePage(long rootId, int maxDepth, int afterDepth, long afterId, int limit) {
        return dialect.query(subtreePageSql(),
                        Tuple.from(List.of(rootId, maxDepth, afterDepth, afterDepth, afterId, (long) limit)))
                .map(rows -> {
                    List<SubtreeRow> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new SubtreeRow(Rows.entity(r), r.getInteger("depth")));
                    }
                    return out;
                });
    }

    /** The statement of {@link #subtreePage}: its markers are the root, maxDepth, afterDepth twice, afterId and limit. */
    public String subtreePageSql() {
        return "WITH RECURSIVE sub (id, depth) AS ("
                + " SELECT id, 0 FROM entity WHERE id = ?"
                + " UNION ALL"
                + " SELECT c.id, s.depth + 1 FROM sub s" + dialect.lookupJoin("entity", "c", "parent_id", "s.id")
                + " WHERE s.depth < ?)"
                + " SELECT " + Rows.ENTITY_COLUMNS + ", sub.depth FROM sub" + dialect.lookupJoin("entity", "e", "id", "sub.id")
                + " WHERE sub.depth > ? OR (sub.depth = ? AND sub.id > ?)"
                + " ORDER BY sub.depth, sub.id LIMIT ?";
    }

    private static String squaredDistance(List<Object> params, Position center) {
        params.addAll(List.of(center.getX(), center.getX(), center.getY(), center.getY()));
        return "(e.x - ?) * (e.x - ?) + (e.y - ?) * (e.y - ?)";
    }

    private static List<Entity> entities(Iterable<Row> rows) {
        List<Entity> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(Rows.entity(r));
        }
        return out;
    }
}
