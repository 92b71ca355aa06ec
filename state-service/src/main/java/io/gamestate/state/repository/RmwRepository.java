package io.gamestate.state.repository;

import io.gamestate.store.Columns;
import io.gamestate.store.SqlDialect;
import io.gamestate.store.StoreConfig;
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
import java.util.stream.Stream;
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

    /** A root has no parent (ids start at 1); see {@link #lockRoots} for why not {@code parent_id IS NULL}. */
    private static final String IS_ROOT = "COALESCE(parent_id, 0) = 0";
    private static final List<String> ENTITY_VALUES = Columns.ENTITY.subList(1, Columns.ENTITY.size());
    private static final List<String> AGGREGATE_TOTALS = List.of("entity_count", "amount_total", "hp_total");

    private final SqlDialect dialect;
    /** How the reads of rows inside a locked tree end: see {@link #treeRows}. */
    private final String treeRowLock;
    private final ManyRows requestRows;
    private final ManyRows newEntities;
    /** An upsert, as changedCells: every row it writes is locked by the transaction, so it never inserts. */
    private final ManyRows changedEntities;
    /** Adds the deltas to the rows every cell has from its creation. */
    private final ManyRows aggregateDeltaRows;
    private final ManyRows changedCells;
    private final ManyRows effectRows;
    private final ManyRows changeRows;

    public RmwRepository(SqlDialect dialect, StoreConfig store) {
        this.dialect = dialect;
        this.treeRowLock = store.multiPrimary() ? " FOR UPDATE" : "";
        this.requestRows = new ManyRows(dialect, "rmw_request", List.of("request_id", "fingerprint", "result", "created_at"), "");
        this.newEntities = new ManyRows(dialect, "entity", Columns.ENTITY, "");
        this.changedEntities = new ManyRows(dialect, "entity", Columns.ENTITY,
                dialect.onConflictUpdate("entity", "id", ENTITY_VALUES, List.of()));
        List<String> aggregate = new ArrayList<>(List.of("cell_id", "layer", "kind"));
        aggregate.addAll(AGGREGATE_TOTALS);
        this.aggregateDeltaRows = new ManyRows(dialect, "cell_aggregate", aggregate,
                dialect.onConflictUpdate("cell_aggregate", "cell_id, layer, kind", List.of(), AGGREGATE_TOTALS));
        this.changedCells = new ManyRows(dialect, "cell", Columns.CELL,
                dialect.onConflictUpdate("cell", "id", List.of("num_entities", "request_queue", "version"), List.of()));
        this.effectRows = new ManyRows(dialect, "effect", List.of("id", "cell_id", "target_id", "kind", "magnitude", "expires_at"), "");
        this.changeRows = new ManyRows(dialect, "change_log",
                List.of("cell_id", "superblock_id", "cell_version", "request_id", "rule", "committed_at", "payload"), "");
    }

    /** The longest statement text of the writes: the prepared-statement cache must take it. */
    public int longestWrite() {
        return Stream.of(requestRows, newEntities, changedEntities, aggregateDeltaRows, changedCells, effectRows, changeRows)
                .mapToInt(ManyRows::longestStatement).max().orElseThrow();
    }

    /** A request already applied: its unit fingerprint and its stored result. */
    public record StoredRequest(String requestId, long fingerprint, byte[] result) {
    }

    // ---- reads ------------------------------------------------------------------------------

    public Uni<Map<String, StoredRequest>> storedRequests(SqlConnection c, Collection<String> requestIds) {
        if (requestIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Object> ids = SqlDialect.inList(requestIds);
        return query(c, "SELECT request_id, fingerprint, result FROM rmw_request WHERE request_id IN ("
                + SqlDialect.markers(ids.size()) + ")", Tuple.from(ids))
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
        List<Object> ids = SqlDialect.inList(superblocks);
        return list(c, "SELECT " + CELL_COLUMNS + " FROM cell WHERE superblock_id IN ("
                + SqlDialect.markers(ids.size()) + ") AND first_child IS NULL", Tuple.from(ids), RmwRepository::cell);
    }

    /** Locks entity rows in ascending id order, the global lock order of the suite. */
    public Uni<List<EntityRecord>> lockEntities(SqlConnection c, Collection<Long> sortedIds) {
        List<Object> ids = SqlDialect.inList(sortedIds);
        return list(c, "SELECT " + ENTITY_COLUMNS + " FROM entity WHERE id IN (" + SqlDialect.markers(ids.size())
                + ") ORDER BY id FOR UPDATE", Tuple.from(ids), RmwRepository::entity);
    }

    /** Locks cell rows in ascending id order; always after the entity locks of the same unit. */
    public Uni<List<CellRecord>> lockCells(SqlConnection c, Collection<Long> sortedIds) {
        List<Object> ids = SqlDialect.inList(sortedIds);
        return list(c, "SELECT " + CELL_COLUMNS + " FROM cell WHERE id IN (" + SqlDialect.markers(ids.size())
                + ") ORDER BY id FOR UPDATE", Tuple.from(ids), RmwRepository::cell);
    }

    /**
     * Locks, ascending, those of the given rows that are hierarchy roots; a row that is not (or no
     * longer) one stays unlocked. The root test is written so that no index serves it: on
     * statistics that underestimate the roots, PostgreSQL scanned the parent index for every root.
     */
    public Uni<List<EntityRecord>> lockRoots(SqlConnection c, Collection<Long> sortedIds) {
        if (sortedIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Object> ids = SqlDialect.inList(sortedIds);
        return list(c, "SELECT " + ENTITY_COLUMNS + " FROM entity WHERE id IN (" + SqlDialect.markers(ids.size())
                + ") AND " + IS_ROOT + " ORDER BY id FOR UPDATE", Tuple.from(ids), RmwRepository::entity);
    }

    /**
     * Locks, ascending, the cells of the given roots and the given cells. Sent behind
     * {@link #lockRoots} on the same connection, it reads the roots' cells once they are locked,
     * so the cells are the ones the roots are in while the transaction lasts. PostgreSQL family
     * only: the ids are an array computed once, because a cell row joined to a subquery is
     * dropped from the result when its lock had to wait for a writer (the re-check of the
     * updated row does not find the subquery's row again).
     */
    public Uni<List<CellRecord>> lockCellsOfRoots(SqlConnection c, Collection<Long> rootIds, Collection<Long> cellIds) {
        if (rootIds.isEmpty()) {
            return lockCells(c, cellIds);
        }
        List<Object> args = SqlDialect.inList(rootIds);
        String chosen = "SELECT cell_id FROM entity WHERE id IN (" + SqlDialect.markers(args.size()) + ") AND " + IS_ROOT;
        if (!cellIds.isEmpty()) {
            List<Object> cells = SqlDialect.inList(cellIds);
            chosen += " UNION ALL SELECT id FROM cell WHERE id IN (" + SqlDialect.markers(cells.size()) + ")";
            args.addAll(cells);
        }
        return list(c, "SELECT " + CELL_COLUMNS + " FROM cell WHERE id = ANY(ARRAY(" + chosen + ")) ORDER BY id FOR UPDATE",
                Tuple.from(args), RmwRepository::cell);
    }

    /** Entity rows read without locks: a later round trip locks their roots and reads what it writes again. */
    public Uni<List<EntityRecord>> entities(SqlConnection c, Collection<Long> ids) {
        return treeRows(c, ids, "");
    }

    /**
     * Rows inside trees whose root the transaction has locked. On a single primary no other writer
     * can change them: whoever changes a tree holds its root. On a multi-primary store (Galera) a
     * lock is only its node's: a write set another node committed is applied here without
     * touching the root, and certification checks the rows each transaction wrote, not those it
     * read. So there each row is locked too: a write set applied to it aborts this transaction,
     * which then reads it again (a stale copy written back was a lost update, found by the fault
     * checker).
     */
    public Uni<List<EntityRecord>> treeRows(SqlConnection c, Collection<Long> ids) {
        return treeRows(c, ids, treeRowLock);
    }

    private Uni<List<EntityRecord>> treeRows(SqlConnection c, Collection<Long> ids, String lock) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Object> padded = SqlDialect.inList(ids);
        return list(c, "SELECT " + ENTITY_COLUMNS + " FROM entity WHERE id IN (" + SqlDialect.markers(padded.size()) + ")" + lock,
                Tuple.from(padded), RmwRepository::entity);
    }

    /** Every node below the given nodes (a recursive walk down the parent links), locked as {@link #treeRows}. */
    public Uni<List<EntityRecord>> subtrees(SqlConnection c, Collection<Long> rootIds) {
        if (rootIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Object> roots = SqlDialect.inList(rootIds);
        return list(c, subtreeWalk(roots.size()) + treeRowLock, Tuple.from(roots), RmwRepository::entity);
    }

    /** The statement of {@link #subtrees} for {@code roots} markers. */
    public String subtreeWalk(int roots) {
        return "WITH RECURSIVE sub (id) AS ("
                + " SELECT id FROM entity WHERE parent_id IN (" + SqlDialect.markers(roots) + ")"
                + " UNION ALL SELECT e.id FROM sub s" + dialect.lookupJoin("entity", "e", "parent_id", "s.id") + ")"
                + " SELECT " + ENTITY_COLUMNS + " FROM entity WHERE id IN (SELECT id FROM sub)";
    }

    /** Item stacks of the given types directly under the given holders (harvest targets), locked as {@link #treeRows}. */
    public Uni<List<EntityRecord>> stacks(SqlConnection c, Collection<Long> holderIds, Collection<String> itemTypes) {
        if (holderIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Object> holders = SqlDialect.inList(holderIds);
        List<Object> types = SqlDialect.inList(itemTypes);
        List<Object> args = new ArrayList<>(holders);
        args.addAll(types);
        return list(c, "SELECT " + ENTITY_COLUMNS + " FROM entity WHERE parent_id IN (" + SqlDialect.markers(holders.size())
                + ") AND item_type IN (" + SqlDialect.markers(types.size()) + ")" + treeRowLock, Tuple.from(args), RmwRepository::entity);
    }

    // ---- transaction control, pipelined (PostgreSQL family) ---------------------------------

    /** BEGIN on a pooled connection outside any Vert.x transaction: sent without waiting for an answer, ahead of the first reads. */
    public Uni<Void> begin(SqlConnection c) {
        return c.query("BEGIN").execute().replaceWithVoid();
    }

    public Uni<Void> commit(SqlConnection c) {
        return c.query("COMMIT").execute().replaceWithVoid();
    }

    /** Ends whatever transaction a failed attempt left open; only a warning from the store when there is none. */
    public Uni<Void> rollback(SqlConnection c) {
        return c.query("ROLLBACK").execute().replaceWithVoid();
    }

    // ---- writes -----------------------------------------------------------------------------

    /** A unit's committed result, stored under its request id for replays. */
    public record NewRequest(String requestId, long fingerprint, byte[] result) {
    }

    /**
     * Writes everything the batch's successful units changed, a few statements of many rows
     * each (an upsert where rows change), pipelined on the connection, and leaves the cells' new
     * counters in the working set. The
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
        writes.add(requestRows.write(c, requests.stream().sorted(Comparator.comparing(NewRequest::requestId))
                        .map(r -> new Object[] {r.requestId(), r.fingerprint(), Buffer.buffer(r.result()), ws.now()}).toList())
                .onFailure(StoreErrors::isUniqueViolation)
                .transform(e -> new RetryableStoreException("concurrent duplicate request id", e)));
        writes.add(newEntities.write(c, ws.inserts().stream().map(RmwRepository::entityRow).toList()));
        writes.add(changedEntities.write(c, ws.updates().stream().map(RmwRepository::entityRow).toList()));
        if (!ws.deletes().isEmpty()) {
            List<Object> ids = SqlDialect.inList(ws.deletes());
            writes.add(query(c, "DELETE FROM entity WHERE id IN (" + SqlDialect.markers(ids.size()) + ")", Tuple.from(ids)));
        }

        Map<Aggregates.Key, Aggregates.Delta> deltas = ws.aggregateDeltas();
        Map<Long, Integer> entityDeltas = new HashMap<>();
        List<Object[]> aggregateRows = new ArrayList<>();
        deltas.forEach((k, d) -> {
            entityDeltas.merge(k.cellId(), (int) d.count, Integer::sum);
            aggregateRows.add(new Object[] {k.cellId(), k.layer(), k.kind(), d.count, d.amount, d.hp});
        });
        writes.add(aggregateDeltaRows.write(c, aggregateRows));

        Set<Long> versioned = ws.changes().stream().map(WorkingSet.CellChange::cellId).collect(Collectors.toSet());
        List<Object[]> cellRows = new ArrayList<>();
        for (CellRecord cell : ws.cells()) {
            int delta = entityDeltas.getOrDefault(cell.id, 0);
            if (versioned.contains(cell.id) || delta != 0) {
                cell.numEntities += delta;
                cell.requestQueue = queueDepth.apply(cell.id);
                cellRows.add(cellRow(cell));
            }
        }
        writes.add(changedCells.write(c, cellRows));

        writes.add(effectRows.write(c, ws.effects().stream()
                .map(e -> new Object[] {e.id(), e.cellId(), e.targetId(), e.kind(), e.magnitude(), e.expiresAt()}).toList()));
        // A cell version taken already: under the cell's lock only a multi-primary store (Galera, whose
        // locks are each node's own) lets another node commit it between our read and this insert.
        writes.add(changeRows.write(c, ws.changes().stream().map(ch -> changeRow(ch, ws.now())).toList())
                .onFailure(StoreErrors::isUniqueViolation)
                .transform(e -> new RetryableStoreException("cell version taken through another node", e)));
        return Uni.combine().all().unis(writes).collectFailures().discardItems();
    }

    private static Object[] changeRow(WorkingSet.CellChange ch, long now) {
        ChangeEvent.Builder event = ChangeEvent.newBuilder()
                .setCellId(ch.cellId())
                .setCellVersion(ch.version())
                .setRequestId(ch.requestId())
                .setRule(ch.rule())
                .addAllRemovedEntityIds(ch.removed())
                .setCommittedAtMs(now);
        ch.entities().forEach(e -> event.addEntities(ProtoMapping.entity(e)));
        return new Object[] {ch.cellId(), ch.superblockId(), ch.version(), ch.requestId(),
            (short) ch.rule().getNumber(), now, Buffer.buffer(event.build().toByteArray())};
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

    /** An entity's values in the order of Columns.ENTITY. */
    private static Object[] entityRow(EntityRecord e) {
        return new Object[] {e.id, e.kind, e.ownerId, e.parentId, e.firstChild, e.nextSibling, e.prevSibling,
            e.x, e.y, e.cellId, e.morton, e.hp, e.maxHp, e.gold, e.amount, e.itemType, e.dead, e.attributes, e.version};
    }

    /** A cell's values in the order of Columns.CELL. */
    private static Object[] cellRow(CellRecord c) {
        return new Object[] {c.id, c.superblockId, c.parentId, c.firstChild, c.nextSibling, c.depth, c.partitionType,
            c.minX, c.minY, c.maxX, c.maxY, c.numEntities, c.requestQueue, c.version};
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
}
