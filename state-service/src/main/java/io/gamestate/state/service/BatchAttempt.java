package io.gamestate.state.service;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.state.model.CellRecord;
import io.gamestate.state.model.EntityRecord;
import io.gamestate.state.model.ProtoMapping;
import io.gamestate.state.repository.RmwRepository;
import io.gamestate.state.repository.RmwRepository.NewRequest;
import io.gamestate.state.repository.RmwRepository.StoredRequest;
import io.gamestate.state.rules.AccessPlan;
import io.gamestate.state.rules.GameRules;
import io.gamestate.state.rules.RetryableStoreException;
import io.gamestate.state.rules.RuleViolation;
import io.gamestate.state.rules.WorkingSet;
import io.gamestate.state.rules.WorkingSet.UnitOutcome;
import io.gamestate.common.world.WorldGeometry;
import io.grpc.Status;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PrimitiveIterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One attempt at a batch of units in one transaction, in four round trips:
 * <ol>
 * <li>stored results of the request ids, the named entities, leaf cells around the target
 * points (no locks);</li>
 * <li>lock the hierarchy roots of the named entities, ascending ids;</li>
 * <li>lock the cells, ascending ids, and read the tree rows the units relink;</li>
 * <li>apply the rules in memory, then write rows, counters, aggregates, effects, change events
 * and request records, pipelined.</li>
 * </ol>
 * Entities are always locked before cells, each in ascending id order, so two attempts never
 * wait on each other in a cycle. If something read without a lock changed before the lock was
 * taken, the attempt fails as retryable and runs again from the start.
 */
final class BatchAttempt {

    private SqlConnection conn;
    private final RmwRepository repo;
    private final GameRules rules;
    private final WorldGeometry geometry;
    private final CellQueues queues;
    private final List<PlannedUnit> units;
    private final WorkingSet ws;
    private final Map<String, RmwResult> results = new HashMap<>();
    private final List<PlannedUnit> pending = new ArrayList<>();
    private final Map<Long, Integer> admitted = new HashMap<>();
    private final Map<Long, EntityRecord> unlockedRows = new HashMap<>();
    private List<CellRecord> leaves = List.of();
    private Set<Long> lockedRoots = Set.of();
    private final Consumer<String> phases;

    /** {@code phases} hears when each round trip is done: its timing shows the lock waits. */
    BatchAttempt(RmwRepository repo, GameRules rules, WorldGeometry geometry, CellQueues queues,
                 List<PlannedUnit> units, PrimitiveIterator.OfLong ids, long now, Consumer<String> phases) {
        this.phases = phases;
        this.repo = repo;
        this.rules = rules;
        this.geometry = geometry;
        this.queues = queues;
        this.units = units;
        this.ws = new WorkingSet(ids, now);
    }

    /** Runs the attempt on the connection of an open transaction. */
    Uni<Map<String, RmwResult>> run(SqlConnection transaction) {
        this.conn = transaction;
        Set<String> requestIds = new LinkedHashSet<>();
        Set<Long> named = new TreeSet<>();
        Set<Integer> superblocks = new TreeSet<>();
        for (PlannedUnit u : units) {
            requestIds.add(u.requestId());
            named.addAll(AccessPlan.entityIds(u.unit()));
            AccessPlan.targets(u.unit()).forEach(p -> superblocks.add(geometry.superblockAt(p.getX(), p.getY())));
        }
        return Uni.combine().all().unis(
                        repo.storedRequests(conn, requestIds),
                        repo.entities(conn, named),
                        repo.leafCells(conn, superblocks)).asTuple()
                .invoke(() -> phases.accept("read"))
                .chain(read -> lockRoots(read.getItem1(), read.getItem2(), read.getItem3()))
                .invoke(() -> phases.accept("roots locked"))
                .chain(this::lockCellsAndTrees)
                .invoke(() -> phases.accept("cells locked"))
                .chain(this::applyAndWrite)
                .invoke(() -> phases.accept("written"))
                .map(done -> results);
    }

    /** What the committed attempt did, for its span. */
    void describe(Span span) {
        span.setAttribute(RmwSpans.RULES, pending.stream().map(u -> AccessPlan.rule(u.unit()).name()).distinct().toList());
        span.setAttribute(RmwSpans.CELLS, ws.cells().stream().map(c -> c.id).toList());
        span.setAttribute(RmwSpans.ROOTS_LOCKED, (long) lockedRoots.size());
        span.setAttribute(RmwSpans.ROWS_INSERTED, (long) ws.inserts().size());
        span.setAttribute(RmwSpans.ROWS_UPDATED, (long) ws.updates().size());
        span.setAttribute(RmwSpans.ROWS_DELETED, (long) ws.deletes().size());
        span.setAttribute(RmwSpans.CHANGE_EVENTS, (long) ws.changes().size());
        span.setAttribute(RmwSpans.REPLAYED, (long) (units.size() - pending.size()));
    }

    /** The cells this attempt locked, with the counters its commit left. */
    Collection<CellRecord> cells() {
        return ws.cells();
    }

    /** Units admitted to cell queues by this attempt; released by the caller once it ends. */
    Map<Long, Integer> admitted() {
        return admitted;
    }

    /**
     * Locks the hierarchy roots of every named entity. Rows inside a hierarchy are never locked
     * one by one: whoever changes a tree holds its root, so the root is the tree's lock.
     */
    private Uni<Boolean> lockRoots(Map<String, StoredRequest> stored, List<EntityRecord> namedRows, List<CellRecord> leafCells) {
        for (PlannedUnit u : units) {
            StoredRequest s = stored.get(u.requestId());
            if (s == null) {
                pending.add(u);
            } else {
                results.put(u.requestId(), replay(u, s));
            }
        }
        this.leaves = leafCells;
        namedRows.forEach(row -> unlockedRows.put(row.id, row));
        TreeSet<Long> roots = new TreeSet<>();
        for (PlannedUnit u : pending) {
            for (long id : AccessPlan.entityIds(u.unit())) {
                EntityRecord row = unlockedRows.get(id);
                if (row != null) {
                    roots.add(row.ownerId);
                }
            }
        }
        this.lockedRoots = roots;
        if (pending.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        if (roots.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        return repo.lockEntities(conn, roots).map(rows -> {
            rows.forEach(ws::load);
            return true;
        });
    }

    /**
     * Locks the cells the units touch and reads, under the root locks, the rows inside the trees:
     * the named held rows, their LCRS neighbours, subtrees to move or delete, stacks to fill.
     */
    private Uni<Boolean> lockCellsAndTrees(boolean work) {
        if (!work) {
            return Uni.createFrom().item(false);
        }
        TreeSet<Long> cellIds = new TreeSet<>();
        Set<Long> treeRows = new TreeSet<>();
        Set<Long> subtreeRoots = new TreeSet<>();
        Set<Long> holders = new TreeSet<>();
        Set<String> stackTypes = new TreeSet<>();
        for (PlannedUnit u : pending) {
            Set<Long> unitCells = new TreeSet<>();
            for (long id : AccessPlan.entityIds(u.unit())) {
                EntityRecord row = ws.holds(id) ? ws.find(id) : unlockedRows.get(id);
                if (row == null) {
                    continue;
                }
                treeRows.add(id);
                EntityRecord root = ws.find(row.ownerId);
                if (root != null && root.cellId != null) {
                    unitCells.add(root.cellId);
                }
                if (AccessPlan.changesTree(u.unit())) {
                    addIfPresent(treeRows, row.parentId, row.prevSibling, row.nextSibling, row.firstChild);
                }
                if (row.firstChild != null && AccessPlan.subtreeRoots(u.unit()).contains(id)) {
                    subtreeRoots.add(id);
                }
            }
            for (Position p : AccessPlan.targets(u.unit())) {
                unitCells.add(leafBeforeLock(p).id);
            }
            if (u.unit().hasHarvest()) {
                EntityRecord node = unlockedRows.get(u.unit().getHarvest().getNodeId());
                if (node != null && node.itemType != null) {
                    holders.add(AccessPlan.harvestHolder(u.unit()));
                    stackTypes.add(node.itemType);
                }
            }
            unitCells.forEach(cell -> admitted.merge(cell, 1, Integer::sum));
            cellIds.addAll(unitCells);
        }
        treeRows.removeIf(ws::holds);
        queues.admit(admitted);
        return Uni.combine().all().unis(
                        cellIds.isEmpty() ? Uni.createFrom().item(List.<CellRecord>of()) : repo.lockCells(conn, cellIds),
                        repo.entities(conn, treeRows),
                        repo.subtrees(conn, subtreeRoots),
                        repo.stacks(conn, holders, stackTypes)).asTuple()
                .map(read -> {
                    read.getItem1().forEach(ws::lockedCell);
                    read.getItem2().forEach(ws::load);
                    read.getItem3().forEach(ws::load);
                    read.getItem4().forEach(ws::load);
                    checkTreesUnchanged();
                    return true;
                });
    }

    /**
     * The tree rows were chosen from reads made before the root locks. If a named row changed
     * owner, or a tree rule would need a neighbour that was not read, another transaction
     * changed the tree in between: run again.
     */
    private void checkTreesUnchanged() {
        for (PlannedUnit u : pending) {
            for (long id : AccessPlan.entityIds(u.unit())) {
                EntityRecord row = ws.find(id);
                if (row == null) {
                    continue;
                }
                if (!lockedRoots.contains(row.ownerId)) {
                    throw new RetryableStoreException("owner of " + id + " changed before its root was locked", null);
                }
                if (AccessPlan.changesTree(u.unit())) {
                    for (Long link : new Long[] {row.parentId, row.prevSibling, row.nextSibling, row.firstChild}) {
                        if (link != null && !ws.holds(link)) {
                            throw new RetryableStoreException("tree around " + id + " changed before its root was locked", null);
                        }
                    }
                }
            }
        }
    }

    private Uni<Void> applyAndWrite(boolean work) {
        if (!work) {
            return Uni.createFrom().voidItem();
        }
        List<NewRequest> applied = new ArrayList<>();
        for (PlannedUnit u : pending) {
            ws.beginUnit();
            try {
                rules.apply(ws, u.unit());
                RmwResult result = success(u, ws.commitUnit(u.requestId(), AccessPlan.rule(u.unit())));
                results.put(u.requestId(), result);
                applied.add(new NewRequest(u.requestId(), u.fingerprint(), result.toByteArray()));
            } catch (RuleViolation violation) {
                ws.rollbackUnit();
                results.put(u.requestId(), failure(u, violation.code(), violation.getMessage()));
            }
        }
        if (!ws.hasWrites()) {
            return Uni.createFrom().voidItem();
        }
        return repo.write(conn, ws, applied, queues::depth);
    }

    /** The leaf holding p among the leaves read before locking; re-checked once locked. */
    private CellRecord leafBeforeLock(Position p) {
        for (CellRecord c : leaves) {
            if (c.contains(p.getX(), p.getY())) {
                return c;
            }
        }
        throw new RetryableStoreException("stale partition: no leaf held (" + p.getX() + ", " + p.getY() + ")", null);
    }

    private static void addIfPresent(Set<Long> out, Long... ids) {
        for (Long id : ids) {
            if (id != null) {
                out.add(id);
            }
        }
    }

    private static RmwResult success(PlannedUnit u, UnitOutcome outcome) {
        RmwResult.Builder b = RmwResult.newBuilder()
                .setRequestId(u.requestId())
                .setCode(Status.Code.OK.value())
                .setRule(AccessPlan.rule(u.unit()))
                .addAllRemovedEntityIds(outcome.removed())
                .addAllCells(outcome.cells())
                .setHarvested(outcome.harvested());
        outcome.entities().forEach(e -> b.addEntities(ProtoMapping.entity(e)));
        return b.build();
    }

    static RmwResult failure(PlannedUnit u, Status.Code code, String message) {
        return RmwResult.newBuilder()
                .setRequestId(u.requestId())
                .setCode(code.value())
                .setMessage(message)
                .setRule(AccessPlan.rule(u.unit()))
                .build();
    }

    private static RmwResult replay(PlannedUnit u, StoredRequest stored) {
        if (stored.fingerprint() != u.fingerprint()) {
            return failure(u, Status.Code.ALREADY_EXISTS,
                    "request id " + u.requestId() + " was already used for a different unit");
        }
        try {
            return RmwResult.parseFrom(stored.result()).toBuilder().setReplayed(true).build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored result of " + u.requestId() + " is unreadable", e);
        }
    }
}
