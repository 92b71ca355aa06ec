package io.gamestate.state.service;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gamestate.common.tracing.RmwSpans;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.state.model.CellRecord;
import io.gamestate.state.model.EntityRecord;
import io.gamestate.state.model.ProtoMapping;
import io.gamestate.state.repository.RmwRepository;
import io.gamestate.state.repository.RmwRepository.NewRequest;
import io.gamestate.state.repository.RmwRepository.StoredRequest;
import io.gamestate.state.rules.AccessPlan;
import io.gamestate.state.rules.Rules;
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
import java.util.Objects;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One attempt at a batch of units in one transaction, its BEGIN sent ahead of the first reads
 * without waiting for its answer. Units that touch only the rows they name, when the leaves of
 * their targets are known and COMMIT is {@code commitPipelined}, run in two round trips (see
 * {@link #lockFirst}). Otherwise four round trips, COMMIT sent behind the last when
 * {@code commitPipelined} (a fifth for it otherwise), plus one when a tree changed before its
 * lock or a unit is planned under the lock:
 * <ol>
 * <li>stored results of the request ids, the named entities, leaf cells around the target
 * points (no locks);</li>
 * <li>lock the hierarchy roots of the named entities, ascending ids;</li>
 * <li>lock the cells, ascending ids, read the tree rows the units relink and look again for
 * stored results (a twin that held the same locks has committed by now);</li>
 * <li>apply the rules in memory, then write rows, counters, aggregates, effects, change events
 * and request records, pipelined.</li>
 * </ol>
 * When the first read holds every root (the units name players, and items only of players they
 * also name), round trips 2 and 3 are one: the cell locks and reads go out right behind the root locks.
 * Entities are always locked before cells, each in ascending id order, so two attempts never
 * wait on each other in a cycle. Under a root's lock its whole tree is stable, so tree rows that
 * changed since the unlocked read are simply read again. A unit whose named row changed owner
 * before the lock (or whose target cell was split) cannot be planned under the locks this
 * attempt holds: it is left out and reported as {@link #lost()}, while the other units commit.
 * With {@link Planning#UNDER_LOCK}, owners are re-read under the locks and newly found roots
 * locked too, until every named row's root is held: the path for units that lost once.
 */
final class BatchAttempt {

    private static final Logger LOG = Logger.getLogger(BatchAttempt.class);
    /** Rounds of locking newly found owners before a unit counts as lost again. */
    private static final int MAX_SETTLE_ROUNDS = 4;

    enum Planning {
        /** Owners read without locks, then locked: one round trip, may lose a unit to a race. */
        OPTIMISTIC,
        /** Owners re-read under the locks until stable: a round trip more, loses no unit to ownership changes. */
        UNDER_LOCK
    }

    private SqlConnection conn;
    private final RmwRepository repo;
    private final Rules rules;
    private final WorldGeometry geometry;
    private final CellQueues queues;
    private final List<PlannedUnit> units;
    private final Planning planning;
    private final WorkingSet ws;
    private final Map<String, RmwResult> results = new HashMap<>();
    private final List<PlannedUnit> pending = new ArrayList<>();
    private final List<PlannedUnit> lost = new ArrayList<>();
    private final Map<Long, Integer> admitted = new HashMap<>();
    private final Map<Long, EntityRecord> unlockedRows = new HashMap<>();
    private List<CellRecord> leaves = List.of();
    private final TreeSet<Long> lockedRoots = new TreeSet<>();
    private final Set<Long> rootsToLock;
    private final Consumer<String> phases;
    private final boolean commitPipelined;
    private final KnownLeaves knownLeaves;
    /** The units' request ids, and the entity ids they name, ascending. */
    private final Set<String> requestIds = new LinkedHashSet<>();
    private final Set<Long> named = new TreeSet<>();

    /** {@code phases} hears when each round trip is done: its timing shows the lock waits. */
    BatchAttempt(RmwRepository repo, Rules rules, WorldGeometry geometry, CellQueues queues, KnownLeaves knownLeaves,
                 List<PlannedUnit> units, Planning planning, Set<Long> rootsToLock, PrimitiveIterator.OfLong ids, long now,
                 boolean commitPipelined, Consumer<String> phases) {
        this.commitPipelined = commitPipelined;
        this.knownLeaves = knownLeaves;
        this.rootsToLock = rootsToLock;
        this.phases = phases;
        this.repo = repo;
        this.rules = rules;
        this.geometry = geometry;
        this.queues = queues;
        this.units = units;
        this.planning = planning;
        this.ws = new WorkingSet(ids, now);
        for (PlannedUnit u : units) {
            requestIds.add(u.requestId());
            named.addAll(u.plan().named());
        }
    }

    /**
     * Runs the attempt on a connection with no transaction open: BEGIN goes ahead of the first
     * reads, in their round trip. When {@code commitPipelined}, COMMIT goes behind the writes, in
     * theirs: PostgreSQL family only, where a failed statement aborts the transaction so the COMMIT
     * behind it rolls back (a MySQL-family COMMIT would keep the statements that succeeded, so there
     * it waits for the writes' answers). An attempt that fails before its COMMIT leaves the
     * transaction open for the caller to roll back.
     */
    Uni<Map<String, RmwResult>> run(SqlConnection connection) {
        this.conn = connection;
        Map<PlannedUnit, Set<Long>> targetLeaves = knownTargetLeaves();
        if (targetLeaves != null) {
            return lockFirst(targetLeaves);
        }
        Set<Integer> superblocks = new TreeSet<>();
        units.forEach(u -> u.plan().targets().forEach(p -> superblocks.add(geometry.superblockAt(p.getX(), p.getY()))));
        return Uni.combine().all().unis(
                        repo.begin(conn),
                        repo.storedRequests(conn, requestIds),
                        repo.entities(conn, named),
                        repo.leafCells(conn, superblocks)).asTuple()
                .invoke(() -> phases.accept("read"))
                .invoke(read -> knownLeaves.remember(superblocks, read.getItem4()))
                .chain(read -> lockRootsAndCells(read.getItem2(), read.getItem3(), read.getItem4()))
                .chain(work -> work ? completeTrees(1) : Uni.createFrom().item(false))
                .invoke(() -> phases.accept("cells locked"))
                .chain(work -> commitPipelined ? commitBehind(applyAndWrite(work)) : applyAndWrite(work).chain(() -> repo.commit(conn)))
                .invoke(() -> phases.accept("written"))
                .map(done -> results);
    }

    /**
     * The leaves last known to hold each unit's targets, when every unit may lock first: an
     * optimistic attempt with its COMMIT pipelined, whose units touch only the rows they name. Null otherwise.
     */
    private Map<PlannedUnit, Set<Long>> knownTargetLeaves() {
        if (!commitPipelined || planning != Planning.OPTIMISTIC) {
            return null;
        }
        Map<PlannedUnit, Set<Long>> leavesByUnit = new HashMap<>();
        for (PlannedUnit u : units) {
            if (!u.plan().touchesOnlyNamedRows()) {
                return null;
            }
            Set<Long> leaves = new TreeSet<>();
            for (Position p : u.plan().targets()) {
                Long leaf = knownLeaves.leafAt(geometry.superblockAt(p.getX(), p.getY()), p.getX(), p.getY());
                if (leaf == null) {
                    return null;
                }
                leaves.add(leaf);
            }
            leavesByUnit.put(u, leaves);
        }
        return leavesByUnit;
    }

    /**
     * The attempt in two round trips: BEGIN, then the named rows locked if they are roots, then
     * their cells and the target leaves locked (the store reads the roots' cells behind their
     * locks), then the stored results of the request ids (a twin that held the same locks has
     * committed by now); the writes and COMMIT go in the second. A unit naming a row that is not
     * a root, or is not there, is lost: it runs again on the path that reads before it locks.
     */
    private Uni<Map<String, RmwResult>> lockFirst(Map<PlannedUnit, Set<Long>> targetLeaves) {
        Set<Long> leaves = new TreeSet<>();
        targetLeaves.values().forEach(leaves::addAll);
        return Uni.combine().all().unis(
                        repo.begin(conn),
                        repo.lockRoots(conn, named),
                        repo.lockCellsOfRoots(conn, named, leaves),
                        repo.storedRequests(conn, requestIds)).asTuple()
                .invoke(() -> phases.accept("locked"))
                .map(locked -> {
                    locked.getItem2().forEach(root -> {
                        ws.load(root);
                        lockedRoots.add(root.id);
                    });
                    locked.getItem3().forEach(ws::lockedCell);
                    sortReplays(locked.getItem4());
                    admitUnitsOfLockedRoots(targetLeaves);
                    return !pending.isEmpty();
                })
                .chain(work -> commitBehind(applyAndWrite(work)))
                .invoke(() -> phases.accept("written"))
                .map(done -> results);
    }

    /** Admits to the cell queues each pending unit whose named rows are all locked roots; loses the others. */
    private void admitUnitsOfLockedRoots(Map<PlannedUnit, Set<Long>> targetLeaves) {
        Map<Long, Integer> admitting = new HashMap<>();
        for (PlannedUnit u : List.copyOf(pending)) {
            Optional<Long> unlocked = u.plan().named().stream().filter(id -> !lockedRoots.contains(id)).findFirst();
            if (unlocked.isPresent()) {
                loseUnit(u, "entity " + unlocked.get() + " is not a root, or not there");
                continue;
            }
            Set<Long> unitCells = new TreeSet<>(targetLeaves.get(u));
            u.plan().named().stream().map(id -> ws.find(id).cellId).filter(Objects::nonNull).forEach(unitCells::add);
            unitCells.forEach(cell -> admitting.merge(cell, 1, Integer::sum));
        }
        admit(admitting);
    }

    /** What the committed attempt did, for its span. */
    void describe(Span span) {
        span.setAttribute(RmwSpans.RULES, pending.stream().map(u -> u.plan().rule().name()).distinct().toList());
        span.setAttribute(RmwSpans.CELLS, ws.cells().stream().map(c -> c.id).toList());
        span.setAttribute(RmwSpans.ROOTS_LOCKED, (long) lockedRoots.size());
        span.setAttribute(RmwSpans.ROWS_INSERTED, (long) ws.inserts().size());
        span.setAttribute(RmwSpans.ROWS_UPDATED, (long) ws.updates().size());
        span.setAttribute(RmwSpans.ROWS_DELETED, (long) ws.deletes().size());
        span.setAttribute(RmwSpans.CHANGE_EVENTS, (long) ws.changes().size());
        span.setAttribute(RmwSpans.REPLAYED, (long) (units.size() - pending.size() - lost.size()));
        span.setAttribute(RmwSpans.LOST, (long) lost.size());
    }

    /** The cells this attempt locked, with the counters its commit left. */
    Collection<CellRecord> cells() {
        return ws.cells();
    }

    /** Units admitted to cell queues by this attempt; released by the caller once it ends. */
    Map<Long, Integer> admitted() {
        return admitted;
    }

    /** Units this attempt could not plan under its locks: they have no result and run again. */
    List<PlannedUnit> lost() {
        return lost;
    }

    /**
     * Locks the hierarchy roots of the named entities, then the cells. Rows inside a hierarchy
     * are never locked one by one: whoever changes a tree holds its root, so the root is the
     * tree's lock. When every owner was read before the lock (units naming players, and items
     * only of players they also name), the cells are chosen from that read and locked in the roots' round trip, behind
     * them: one round trip less, and the hot rows' locks held one round trip shorter. A root that
     * left its cell in between loses its unit.
     */
    private Uni<Boolean> lockRootsAndCells(Map<String, StoredRequest> stored, List<EntityRecord> namedRows,
                                           List<CellRecord> leafCells) {
        TreeSet<Long> roots = classify(stored, namedRows, leafCells);
        if (pending.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        if (planning == Planning.OPTIMISTIC && ownersReadBeforeLock()) {
            return lockRootsWithCells(roots);
        }
        Uni<Boolean> rootsLocked = lock(roots).replaceWith(true);
        if (planning == Planning.UNDER_LOCK) {
            rootsLocked = rootsLocked.chain(() -> settleRoots(1));
        }
        return rootsLocked.invoke(() -> phases.accept("roots locked")).chain(this::lockCellsAndTrees);
    }

    /** Sorts the units into replays and pending ones; the roots to lock for the pending ones. */
    private TreeSet<Long> classify(Map<String, StoredRequest> stored, List<EntityRecord> namedRows, List<CellRecord> leafCells) {
        sortReplays(stored);
        this.leaves = leafCells;
        namedRows.forEach(row -> unlockedRows.put(row.id, row));
        TreeSet<Long> roots = new TreeSet<>(planning == Planning.UNDER_LOCK ? rootsToLock : Set.of());
        for (PlannedUnit u : pending) {
            for (long id : u.plan().rootedIds()) {
                EntityRecord row = unlockedRows.get(id);
                if (row != null) {
                    roots.add(row.ownerId);
                }
            }
        }
        return roots;
    }

    /** Units whose request id has a stored result answer it; the others are pending. */
    private void sortReplays(Map<String, StoredRequest> stored) {
        for (PlannedUnit u : units) {
            StoredRequest s = stored.get(u.requestId());
            if (s == null) {
                pending.add(u);
            } else {
                results.put(u.requestId(), replay(u, s));
            }
        }
    }

    private boolean ownersReadBeforeLock() {
        for (PlannedUnit u : pending) {
            for (long id : u.plan().named()) {
                EntityRecord row = unlockedRows.get(id);
                if (row != null && !unlockedRows.containsKey(row.ownerId)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The roots, then the cells and tree rows chosen from the unlocked read, in one round trip. */
    private Uni<Boolean> lockRootsWithCells(TreeSet<Long> roots) {
        UnderLock plan = planUnderLock(unlockedRows::get, unlockedRows::get);
        plan.treeRows().removeAll(roots);
        lockedRoots.addAll(roots);
        Uni<List<EntityRecord>> rootRows = roots.isEmpty() ? Uni.createFrom().item(List.of()) : repo.lockEntities(conn, roots);
        return Uni.combine().all().unis(rootRows, readUnderLock(plan)).asTuple().map(read -> {
            read.getItem1().forEach(ws::load);
            absorb(read.getItem2());
            loseUnitsOutsideLockedCells(plan.cells());
            return !pending.isEmpty();
        });
    }

    /** A unit whose root moved to a cell this attempt did not lock, between the read and the lock. */
    private void loseUnitsOutsideLockedCells(Set<Long> lockedCells) {
        for (PlannedUnit u : List.copyOf(pending)) {
            for (long id : u.plan().named()) {
                EntityRecord row = ws.find(id);
                EntityRecord root = row == null ? null : ws.find(row.ownerId);
                if (root != null && root.cellId != null && !lockedCells.contains(root.cellId)) {
                    loseUnit(u, "root " + root.id + " left its cell before the lock");
                    break;
                }
            }
        }
    }

    private Uni<Void> lock(TreeSet<Long> roots) {
        if (roots.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        lockedRoots.addAll(roots);
        return repo.lockEntities(conn, roots).invoke(rows -> rows.forEach(ws::load)).replaceWithVoid();
    }

    /**
     * Re-reads, under the locks held, the named rows that are not roots; any whose owner is not
     * locked moved before its root was locked. Owners above every lock held are locked now, in
     * order; an owner below would break the lock order (and risk a deadlock), so the attempt
     * runs again with it among the roots it locks first.
     */
    private Uni<Boolean> settleRoots(int round) {
        Set<Long> held = new TreeSet<>();
        for (PlannedUnit u : pending) {
            u.plan().rootedIds().stream().filter(id -> !lockedRoots.contains(id)).forEach(held::add);
        }
        if (held.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        return repo.entities(conn, held).chain(rows -> {
            TreeSet<Long> unlockedOwners = new TreeSet<>();
            for (EntityRecord row : rows) {
                unlockedRows.put(row.id, row);
                if (!lockedRoots.contains(row.ownerId)) {
                    unlockedOwners.add(row.ownerId);
                }
            }
            if (unlockedOwners.isEmpty() || round == MAX_SETTLE_ROUNDS) {
                return Uni.createFrom().item(true);
            }
            if (!lockedRoots.isEmpty() && unlockedOwners.first() < lockedRoots.last()) {
                rootsToLock.addAll(unlockedOwners);
                throw new RetryableStoreException("owner moved below the roots locked: lock it first", null);
            }
            return lock(unlockedOwners).chain(() -> settleRoots(round + 1));
        });
    }

    /** What the cell round trip locks and reads, chosen from rows read before it. */
    private record UnderLock(TreeSet<Long> cells, Set<Long> treeRows, Set<Long> subtreeRoots, Set<Long> holders,
                             Set<String> stackTypes) {
    }

    /** The rows of {@link #readUnderLock}. */
    private record ReadUnderLock(List<CellRecord> cells, List<EntityRecord> treeRows, List<EntityRecord> subtrees,
                                 List<EntityRecord> stacks, Map<String, StoredRequest> stored) {
    }

    /** The cells and tree rows after the roots' own round trip: planned from the locked roots. */
    private Uni<Boolean> lockCellsAndTrees(boolean work) {
        if (!work) {
            return Uni.createFrom().item(false);
        }
        UnderLock plan = planUnderLock(id -> ws.holds(id) ? ws.find(id) : unlockedRows.get(id), ws::find);
        plan.treeRows().removeIf(ws::holds);
        return readUnderLock(plan).map(read -> {
            absorb(read);
            return !pending.isEmpty();
        });
    }

    /**
     * The cells the units touch (their roots' cells and their targets' leaves) and the rows inside
     * the trees (the named held rows, their LCRS neighbours, subtrees to move or delete, stacks to
     * fill), given how to find a named row and a root; admits the units to the cells' queues.
     */
    private UnderLock planUnderLock(Function<Long, EntityRecord> namedRow, Function<Long, EntityRecord> rootRow) {
        UnderLock plan = new UnderLock(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
        Map<Long, Integer> admitting = new HashMap<>();
        for (PlannedUnit u : List.copyOf(pending)) {
            Set<Long> unitCells = new TreeSet<>();
            for (long id : u.plan().named()) {
                EntityRecord row = namedRow.apply(id);
                if (row == null) {
                    continue;
                }
                plan.treeRows().add(id);
                EntityRecord root = rootRow.apply(row.ownerId);
                if (root != null && root.cellId != null) {
                    unitCells.add(root.cellId);
                }
                if (u.plan().changesTree()) {
                    addIfPresent(plan.treeRows(), row.parentId, row.prevSibling, row.nextSibling, row.firstChild);
                }
                if (u.plan().subtreeRoots().contains(id)) {
                    plan.subtreeRoots().add(id);
                }
            }
            boolean partitionKnown = true;
            for (Position p : u.plan().targets()) {
                CellRecord leaf = leafBeforeLock(p);
                if (leaf == null) {
                    partitionKnown = false;
                } else {
                    unitCells.add(leaf.id);
                }
            }
            if (!partitionKnown) {
                loseUnit(u, "stale partition: no leaf read before the lock holds the unit's target");
                continue;
            }
            AccessPlan.StackFill stack = u.plan().stack();
            if (stack != null) {
                EntityRecord node = unlockedRows.get(stack.nodeId());
                if (node != null && node.itemType != null) {
                    plan.holders().add(stack.holderId());
                    plan.stackTypes().add(node.itemType);
                }
            }
            unitCells.forEach(cell -> admitting.merge(cell, 1, Integer::sum));
            plan.cells().addAll(unitCells);
        }
        admit(admitting);
        return plan;
    }

    /**
     * Locks the planned cells, ascending, and reads the planned tree rows and the stored results
     * of the pending request ids once more: all behind the root locks, so under them.
     */
    private Uni<ReadUnderLock> readUnderLock(UnderLock plan) {
        return Uni.combine().all().unis(
                        plan.cells().isEmpty() ? Uni.createFrom().item(List.<CellRecord>of()) : repo.lockCells(conn, plan.cells()),
                        repo.treeRows(conn, plan.treeRows()),
                        repo.subtrees(conn, plan.subtreeRoots()),
                        repo.stacks(conn, plan.holders(), plan.stackTypes()),
                        repo.storedRequests(conn, pending.stream().map(PlannedUnit::requestId).toList())).asTuple()
                .map(read -> new ReadUnderLock(read.getItem1(), read.getItem2(), read.getItem3(), read.getItem4(), read.getItem5()));
    }

    private void absorb(ReadUnderLock read) {
        read.cells().forEach(ws::lockedCell);
        read.treeRows().forEach(ws::load);
        read.subtrees().forEach(ws::load);
        read.stacks().forEach(ws::load);
        replayTwins(read.stored());
        loseUnitsWithUnlockedOwners();
    }

    /** A twin of a pending unit committed while this attempt waited for its locks: answer its result. */
    private void replayTwins(Map<String, StoredRequest> stored) {
        pending.removeIf(u -> {
            StoredRequest s = stored.get(u.requestId());
            if (s != null) {
                results.put(u.requestId(), replay(u, s));
            }
            return s != null;
        });
    }

    /**
     * A named row whose owner this attempt did not lock moved to another tree before the lock:
     * its unit cannot be planned here. Rows a rule ties to a named player are left to the rule,
     * which refuses them when they are held by anyone else.
     */
    private void loseUnitsWithUnlockedOwners() {
        for (PlannedUnit u : List.copyOf(pending)) {
            for (long id : u.plan().rootedIds()) {
                EntityRecord row = ws.find(id);
                if (row != null && !lockedRoots.contains(row.ownerId)) {
                    loseUnit(u, "owner of " + id + " changed before its root was locked");
                    break;
                }
            }
        }
    }

    /**
     * The tree rows were chosen from reads made before the root locks. Under the locks the trees
     * can no longer change, so whatever neighbour or subtree row is still missing is read now: at
     * most a round trip or two, and none when nothing changed.
     */
    private Uni<Boolean> completeTrees(int round) {
        Set<Long> missingRows = new TreeSet<>();
        Set<Long> incompleteSubtrees = new TreeSet<>();
        for (PlannedUnit u : pending) {
            if (!u.plan().changesTree()) {
                continue;
            }
            List<Long> subtreeRoots = u.plan().subtreeRoots();
            for (long id : u.plan().named()) {
                EntityRecord row = ws.find(id);
                if (row == null || !lockedRoots.contains(row.ownerId)) {
                    continue;
                }
                for (Long link : new Long[] {row.parentId, row.prevSibling, row.nextSibling, row.firstChild}) {
                    if (link != null && !ws.holds(link)) {
                        missingRows.add(link);
                    }
                }
                if (subtreeRoots.contains(id) && !ws.holdsSubtree(id)) {
                    incompleteSubtrees.add(id);
                }
            }
        }
        if (missingRows.isEmpty() && incompleteSubtrees.isEmpty() || round > MAX_SETTLE_ROUNDS) {
            return Uni.createFrom().item(true);
        }
        return Uni.combine().all().unis(repo.treeRows(conn, missingRows), repo.subtrees(conn, incompleteSubtrees)).asTuple()
                .chain(read -> {
                    read.getItem1().forEach(ws::load);
                    read.getItem2().forEach(ws::load);
                    return completeTrees(round + 1);
                });
    }

    private Uni<Void> applyAndWrite(boolean work) {
        if (!work) {
            return Uni.createFrom().voidItem();
        }
        List<NewRequest> applied = new ArrayList<>();
        for (PlannedUnit u : List.copyOf(pending)) {
            ws.beginUnit();
            try {
                rules.apply(ws, u.unit());
                RmwResult result = success(u, ws.commitUnit(u.requestId(), u.plan().rule()));
                results.put(u.requestId(), result);
                applied.add(new NewRequest(u.requestId(), u.fingerprint(), result.toByteArray()));
            } catch (RuleViolation violation) {
                ws.rollbackUnit();
                results.put(u.requestId(), failure(u, violation.code(), violation.getMessage()));
            } catch (RetryableStoreException raced) {
                ws.rollbackUnit();
                loseUnit(u, raced.reason());
            } catch (RuntimeException bug) {
                // A defect in a rule must not fail the units batched with it: this unit alone answers INTERNAL.
                ws.rollbackUnit();
                LOG.errorf(bug, "rule %s failed on unit %s", u.plan().rule(), u.requestId());
                results.put(u.requestId(), failure(u, Status.Code.INTERNAL, "rule failed: " + bug));
            }
        }
        if (!ws.hasWrites()) {
            return Uni.createFrom().voidItem();
        }
        return repo.write(conn, ws, applied, queues::depth);
    }

    /** The writes, then COMMIT pipelined behind them: it is sent after their statements, without waiting for their answers. */
    private Uni<Void> commitBehind(Uni<Void> writes) {
        return Uni.combine().all().unis(writes, repo.commit(conn)).collectFailures().discardItems();
    }

    /** Units per cell joining the cells' queues, released by the caller once the attempt ends. */
    private void admit(Map<Long, Integer> unitsPerCell) {
        queues.admit(unitsPerCell);
        unitsPerCell.forEach((cell, n) -> admitted.merge(cell, n, Integer::sum));
    }

    private void loseUnit(PlannedUnit u, String reason) {
        pending.remove(u);
        lost.add(u);
        LOG.debugf("unit %s runs again: %s", u.requestId(), reason);
    }

    /** The leaf holding p among the leaves read before locking (re-checked once locked), or null. */
    private CellRecord leafBeforeLock(Position p) {
        for (CellRecord c : leaves) {
            if (c.contains(p.getX(), p.getY())) {
                return c;
            }
        }
        return null;
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
                .setRule(u.plan().rule())
                .addAllRemovedEntityIds(outcome.removed())
                .addAllCells(outcome.cells())
                .setHarvested(outcome.harvested());
        outcome.entities().forEach(e -> b.addEntities(ProtoMapping.entity(e)));
        return b.build();
    }

    static RmwResult failure(PlannedUnit u, Status.Code code, String message) {
        return failure(u.requestId(), u.plan().rule(), code, message);
    }

    static RmwResult failure(String requestId, Rule rule, Status.Code code, String message) {
        return RmwResult.newBuilder()
                .setRequestId(requestId)
                .setCode(code.value())
                .setMessage(message)
                .setRule(rule)
                .build();
    }

    /** The stored result of a committed request id, for any copy of its unit. */
    static RmwResult replay(PlannedUnit u, StoredRequest stored) {
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
