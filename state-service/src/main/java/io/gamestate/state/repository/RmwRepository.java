package io.gamestate.state.repository;

import io.gamestate.store.Columns;
import io.gamestate.store.SqlDialect;
import io.gamestate.proto.state.v1.ChangeEvent;
import io.gamestate.state.model.Aggregates;
import io.gamestate.state.model.CellRecord;
import io.gamestate.state.model.EntityRecord;
import io.gamestate.state.model.ProtoMapping;
import io.gamestate.state.rules.RetryableStoreException;
import io.gamestate.state.rules.WorkingSet;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Function;

/**
 * The statements of the RMW path: prepared, portable across both families, one round trip per
 * phase. Every method runs on the transaction's connection; statements issued together are
 * pipelined by the driver.
 */
@ApplicationScoped
public class RmwRepository {

    static final String ENTITY_COLUMNS = Columns.list(Columns.ENTITY);
    static final String CELL_COLUMNS = Columns.list(Columns.CELL);

    private final SqlDialect dialect;

    public RmwRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** A request already applied: its unit fingerprint and its stored result. */
    public record StoredRequest(String requestId, long fingerprint, byte[] result) {
    }

    // ---- reads ------------------------------------------------------------------------------

    public Uni<Map<String, StoredRequest>> storedRequests(SqlConnection c, Collection<String> requestIds) {
        if (requestIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return query(c, "SELECT request_id, fingerprint, result FROM rmw_request WHERE request_id IN ("
                + SqlDialect.markers(requestIds.size()) + ")", Tuple.from(List.copyOf(requestIds)))
                .map(rows -> {
                    Map<String, StoredRequest> out = new HashMap<>();
                    for (Row r : rows) {
                        out.put(r.getString(0), new StoredRequest(r.getString(0), r.getLong(1), r.getBuffer(2).getBytes()));
                    }
                    return out;
                });
    }

    /** Leaf cells of the given superblocks, read without locks: the lock phase re-checks them. */
    public Uni<List<CellRecord>> leafCells(SqlConnection c, Collection<Integer> superblocks) {
        if (superblocks.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list(c, "SELECT " + CELL_COLUMNS + " FROM cell WHERE superblock_id IN ("
                + SqlDialect.markers(superblocks.size()) + ") AND first_child IS NULL",
                Tuple.from(List.copyOf(superblocks)), RmwRepository::cell);
    }

    /** Locks entity rows in ascending id order, the global lock order of the suite. */
    public Uni<List<EntityRecord>> lockEntities(SqlConnection c, Collection<Long> sortedIds) {
        return list(c, "SELECT " + ENTITY_COLUMNS + " FROM entity WHERE id IN (" + SqlDialect.markers(sortedIds.size())
                + ") ORDER BY id FOR UPDATE", Tuple.from(List.copyOf(sortedIds)), RmwRepository::entity);
    }

    /** Locks cell rows in ascending id order; always after the entity locks of the same unit. */
    public Uni<List<CellRecord>> lockCells(SqlConnection c, Collection<Long> sortedIds) {
        return list(c, "SELECT " + CELL_COLUMNS + " FROM cell WHERE id IN (" + SqlDialect.markers(sortedIds.size())
                + ") ORDER BY id FOR UPDATE", Tuple.from(List.copyOf(sortedIds)), RmwRepository::cell);
    }

    /** Rows inside trees whose root the transaction has locked: no other writer can change them. */
    public Uni<List<EntityRecord>> entities(SqlConnection c, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list(c, "SELECT " + ENTITY_COLUMNS + " FROM entity WHERE id IN (" + SqlDialect.markers(ids.size()) + ")",
                Tuple.from(List.copyOf(ids)), RmwRepository::entity);
    }

    /** Every node below the given nodes (a recursive walk down the parent links). */
    public Uni<List<EntityRecord>> subtrees(SqlConnection c, Collection<Long> rootIds) {
        if (rootIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list(c, "WITH RECURSIVE sub (id) AS ("
                + " SELECT id FROM entity WHERE parent_id IN (" + SqlDialect.markers(rootIds.size()) + ")"
                + " UNION ALL SELECT e.id FROM entity e JOIN sub s ON e.parent_id = s.id)"
                + " SELECT " + ENTITY_COLUMNS + " FROM entity WHERE id IN (SELECT id FROM sub)",
                Tuple.from(List.copyOf(rootIds)), RmwRepository::entity);
    }

    /** Item stacks of the given types directly under the given holders (harvest targets). */
    public Uni<List<EntityRecord>> stacks(SqlConnection c, Collection<Long> holderIds, Collection<String> itemTypes) {
        if (holderIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Object> args = new ArrayList<>(holderIds);
        args.addAll(itemTypes);
        return list(c, "SELECT " + ENTITY_COLUMNS + " FROM entity WHERE parent_id IN (" + SqlDialect.markers(holderIds.size())
                + ") AND item_type IN (" + SqlDialect.markers(itemTypes.size()) + ")", Tuple.from(args), RmwRepository::entity);
    }

    // ---- writes -----------------------------------------------------------------------------

    /** A unit's committed result, stored under its request id for replays. */
    public record NewRequest(String requestId, long fingerprint, byte[] result) {
    }

    /**
     * Writes everything the batch's successful units changed, pipelined on the connection, and
     * leaves the cells' new counters in the working set. The
     * request ids go first: a concurrent twin that committed the same id makes the batch retry,
     * and the retry replays the twin's result.
     *
     * <p>No statement here waits for another transaction of the suite, so none can be picked as a
     * deadlock's victim: every row written lies in a tree whose root the transaction locked, or is
     * a locked cell's (its counters, aggregates and change log), and new rows have fresh ids. The
     * request ids, which twins share, are inserted in ascending order. This matters on a single
     * MySQL-family primary, which runs with autocommit on: a deadlock rolls back the whole
     * transaction, and the statements pipelined behind the victim would each commit on their own
     * (a multi-primary store, where any statement can be aborted, runs with autocommit off).
     */
    public Uni<Void> write(SqlConnection c, WorkingSet ws, List<NewRequest> requests,
                           Function<Long, Integer> queueDepth) {
        List<Uni<?>> writes = new ArrayList<>();
        writes.add(batch(c, "INSERT INTO rmw_request (request_id, fingerprint, result, created_at) VALUES (?, ?, ?, ?)",
                requests.stream().sorted(Comparator.comparing(NewRequest::requestId))
                        .map(r -> Tuple.of(r.requestId(), r.fingerprint(), Buffer.buffer(r.result()), ws.now())).toList())
                .onFailure(StoreErrors::isUniqueViolation)
                .transform(e -> new RetryableStoreException("concurrent duplicate request id", e)));
        writes.add(batch(c, "INSERT INTO entity (" + ENTITY_COLUMNS + ") VALUES ("
                + SqlDialect.markers(Columns.ENTITY.size()) + ")", ws.inserts().stream().map(RmwRepository::insertTuple).toList()));
        writes.add(batch(c, "UPDATE entity SET kind = ?, owner_id = ?, parent_id = ?, first_child = ?, next_sibling = ?,"
                + " prev_sibling = ?, x = ?, y = ?, cell_id = ?, morton = ?, hp = ?, max_hp = ?, gold = ?, amount = ?,"
                + " item_type = ?, dead = ?, attributes = ?, version = ? WHERE id = ?",
                ws.updates().stream().map(RmwRepository::updateTuple).toList()));
        writes.add(batch(c, "DELETE FROM entity WHERE id = ?", ws.deletes().stream().map(Tuple::of).toList()));

        Map<Aggregates.Key, Aggregates.Delta> deltas = ws.aggregateDeltas();
        Map<Long, Integer> entityDeltas = new HashMap<>();
        List<Tuple> aggregateRows = new ArrayList<>();
        deltas.forEach((k, d) -> {
            entityDeltas.merge(k.cellId(), (int) d.count, Integer::sum);
            aggregateRows.add(Tuple.of(d.count, d.amount, d.hp, k.cellId(), k.layer(), k.kind()));
        });
        writes.add(batch(c, "UPDATE cell_aggregate SET entity_count = entity_count + ?, amount_total = amount_total + ?,"
                + " hp_total = hp_total + ? WHERE cell_id = ? AND layer = ? AND kind = ?", aggregateRows));

        Set<Long> versioned = ws.changes().stream().map(WorkingSet.CellChange::cellId).collect(Collectors.toSet());
        List<Tuple> cellRows = new ArrayList<>();
        for (CellRecord cell : ws.cells()) {
            int delta = entityDeltas.getOrDefault(cell.id, 0);
            if (versioned.contains(cell.id) || delta != 0) {
                cell.numEntities += delta;
                cell.requestQueue = queueDepth.apply(cell.id);
                cellRows.add(Tuple.of(cell.numEntities, cell.requestQueue, cell.version, cell.id));
            }
        }
        writes.add(batch(c, "UPDATE cell SET num_entities = ?, request_queue = ?, version = ? WHERE id = ?", cellRows));

        writes.add(batch(c, "INSERT INTO effect (id, cell_id, target_id, kind, magnitude, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                ws.effects().stream().map(e -> Tuple.of(e.id(), e.cellId(), e.targetId(), e.kind(), e.magnitude(), e.expiresAt())).toList()));
        // A cell version taken already: under the cell's lock only a multi-primary store (Galera, whose
        // locks are each node's own) lets another node commit it between our read and this insert.
        writes.add(batch(c, "INSERT INTO change_log (cell_id, superblock_id, cell_version, request_id, rule, committed_at, payload)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                ws.changes().stream().map(ch -> changeTuple(ch, ws.now())).toList())
                .onFailure(StoreErrors::isUniqueViolation)
                .transform(e -> new RetryableStoreException("cell version taken through another node", e)));
        return Uni.combine().all().unis(writes).collectFailures().discardItems();
    }

    private static Tuple changeTuple(WorkingSet.CellChange ch, long now) {
        ChangeEvent.Builder event = ChangeEvent.newBuilder()
                .setCellId(ch.cellId())
                .setCellVersion(ch.version())
                .setRequestId(ch.requestId())
                .setRule(ch.rule())
                .addAllRemovedEntityIds(ch.removed())
                .setCommittedAtMs(now);
        ch.entities().forEach(e -> event.addEntities(ProtoMapping.entity(e)));
        return Tuple.from(new Object[] {ch.cellId(), ch.superblockId(), ch.version(), ch.requestId(),
            (short) ch.rule().getNumber(), now, Buffer.buffer(event.build().toByteArray())});
    }

    // ---- row mapping ------------------------------------------------------------------------

    // Rows are read by position, in the order of Columns.ENTITY and Columns.CELL that every query here
    // selects: a read by name searches the row's column names, a cost seen in profiles of the RMW path.

    static EntityRecord entity(Row r) {
        EntityRecord e = new EntityRecord();
        int i = 0;
        e.id = r.getLong(i++);
        e.kind = r.getShort(i++);
        e.ownerId = r.getLong(i++);
        e.parentId = r.getLong(i++);
        e.firstChild = r.getLong(i++);
        e.nextSibling = r.getLong(i++);
        e.prevSibling = r.getLong(i++);
        e.x = r.getDouble(i++);
        e.y = r.getDouble(i++);
        e.cellId = r.getLong(i++);
        e.morton = r.getLong(i++);
        e.hp = r.getInteger(i++);
        e.maxHp = r.getInteger(i++);
        e.gold = r.getLong(i++);
        e.amount = r.getLong(i++);
        e.itemType = r.getString(i++);
        e.dead = r.getShort(i++);
        e.attributes = r.getString(i++);
        e.version = r.getLong(i++);
        return e;
    }

    static CellRecord cell(Row r) {
        CellRecord c = new CellRecord();
        int i = 0;
        c.id = r.getLong(i++);
        c.superblockId = r.getInteger(i++);
        c.parentId = r.getLong(i++);
        c.firstChild = r.getLong(i++);
        c.nextSibling = r.getLong(i++);
        c.depth = r.getShort(i++);
        c.partitionType = r.getShort(i++);
        c.minX = r.getDouble(i++);
        c.minY = r.getDouble(i++);
        c.maxX = r.getDouble(i++);
        c.maxY = r.getDouble(i++);
        c.numEntities = r.getInteger(i++);
        c.requestQueue = r.getInteger(i++);
        c.version = r.getLong(i++);
        return c;
    }

    private static Tuple insertTuple(EntityRecord e) {
        return Tuple.from(new Object[] {e.id, e.kind, e.ownerId, e.parentId, e.firstChild, e.nextSibling, e.prevSibling,
            e.x, e.y, e.cellId, e.morton, e.hp, e.maxHp, e.gold, e.amount, e.itemType, e.dead, e.attributes, e.version});
    }

    private static Tuple updateTuple(EntityRecord e) {
        return Tuple.from(new Object[] {e.kind, e.ownerId, e.parentId, e.firstChild, e.nextSibling, e.prevSibling,
            e.x, e.y, e.cellId, e.morton, e.hp, e.maxHp, e.gold, e.amount, e.itemType, e.dead, e.attributes, e.version, e.id});
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private Uni<RowSet<Row>> query(SqlConnection c, String sql, Tuple args) {
        return c.preparedQuery(dialect.sql(sql)).execute(args);
    }

    private <T> Uni<List<T>> list(SqlConnection c, String sql, Tuple args, Function<Row, T> mapper) {
        return query(c, sql, args).map(rows -> {
            List<T> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(mapper.apply(r));
            }
            return out;
        });
    }

    private Uni<Void> batch(SqlConnection c, String sql, List<Tuple> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (rows.size() == 1) {
            return c.preparedQuery(dialect.sql(sql)).execute(rows.get(0)).replaceWithVoid();
        }
        return c.preparedQuery(dialect.sql(sql)).executeBatch(rows).replaceWithVoid();
    }
}
