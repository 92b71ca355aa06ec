package io.gamestate.state.service;

import io.gamestate.common.world.Partitioner;
import io.gamestate.common.world.Partitioner.Choice;
import io.gamestate.common.world.Partitioner.Rect;
import io.gamestate.proto.state.v1.PartitionType;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.model.CellRecord;
import io.gamestate.state.model.EntityRecord;
import io.gamestate.state.repository.IdAllocator;
import io.gamestate.state.repository.PartitionRepository;
import io.gamestate.state.repository.RmwRepository;
import io.gamestate.state.repository.StoreErrors;
import io.gamestate.state.rules.RetryableStoreException;
import io.gamestate.state.rules.WorkingSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.jboss.logging.Logger;

/**
 * Splits a crowded leaf cell and merges quiet siblings, each in one transaction. Both lock like
 * an RMW-unit (the cells' entities first, ascending ids, then the cells) and then re-read who is
 * in the cells: a unit that moved in or out before the cell lock was taken makes the attempt
 * retry. Entities move through a {@link WorkingSet}, so counters, aggregates, versions and the
 * change log are kept by the same code as every other change.
 */
@ApplicationScoped
public class PartitionService {

    private static final Logger LOG = Logger.getLogger(PartitionService.class);

    private final Pool pool;
    private final RmwRepository rmw;
    private final PartitionRepository cells;
    private final IdAllocator ids;
    private final StateConfig.Partition config;
    private final MeterRegistry metrics;
    private final ConflictRetry retry;

    public PartitionService(Pool pool, RmwRepository rmw, PartitionRepository cells, IdAllocator ids, StateConfig config,
                            MeterRegistry metrics, ConflictRetry retry) {
        this.pool = pool;
        this.retry = retry;
        this.rmw = rmw;
        this.cells = cells;
        this.ids = ids;
        this.config = config.partition();
        this.metrics = metrics;
    }

    /** Splits the leaf with the best partition type; false if it is no leaf or already minimal. */
    public Uni<Boolean> split(long cellId) {
        return retry.run(() -> pool.withTransaction(c -> cells.lockEntitiesIn(c, List.of(cellId))
                        .chain(entities -> Uni.combine().all().unis(
                                        rmw.lockCells(c, List.of(cellId)), cells.memberIds(c, List.of(cellId))).asTuple()
                                .chain(locked -> {
                                    requireSameMembers(entities, locked.getItem2(), cellId);
                                    CellRecord cell = locked.getItem1().isEmpty() ? null : locked.getItem1().get(0);
                                    if (cell == null || !cell.isLeaf()) {
                                        return Uni.createFrom().item(false);
                                    }
                                    return split(c, cell, entities);
                                })))
                .onFailure().transform(StoreErrors::classify));
    }

    /** Merges the children of parentId back into it if they are all quiet leaves. */
    public Uni<Boolean> merge(long parentId, boolean force) {
        return retry.run(() -> pool.withTransaction(c -> cells.children(c, parentId).chain(children -> {
                    if (children.isEmpty() || children.stream().anyMatch(ch -> !ch.isLeaf())) {
                        return Uni.createFrom().item(false);
                    }
                    List<Long> childIds = children.stream().map(ch -> ch.id).toList();
                    Set<Long> lockOrder = new TreeSet<>(childIds);
                    lockOrder.add(parentId);
                    return cells.lockEntitiesIn(c, childIds).chain(entities -> Uni.combine().all().unis(
                                    rmw.lockCells(c, lockOrder), cells.memberIds(c, childIds), cells.children(c, parentId)).asTuple()
                            .chain(locked -> {
                                requireSameMembers(entities, locked.getItem2(), parentId);
                                List<Long> nowChildren = locked.getItem3().stream().map(ch -> ch.id).toList();
                                List<CellRecord> lockedCells = locked.getItem1();
                                if (!nowChildren.equals(childIds) || lockedCells.stream().anyMatch(
                                        cell -> cell.id != parentId && !cell.isLeaf())) {
                                    throw new RetryableStoreException("partition changed before the merge locked it", null);
                                }
                                if (!force && !quiet(lockedCells, parentId)) {
                                    return Uni.createFrom().item(false);
                                }
                                return merge(c, lockedCells, parentId, entities);
                            }));
                }))
                .onFailure().transform(StoreErrors::classify));
    }

    private Uni<Boolean> split(SqlConnection c, CellRecord cell, List<EntityRecord> entities) {
        Rect bounds = cell.bounds();
        if (!Partitioner.canSplit(bounds, config.minCellSize())) {
            return Uni.createFrom().item(false);
        }
        Choice choice = Partitioner.choose(bounds, entities.stream().map(e -> new double[] {e.x, e.y}).toList(),
                config.splitThreshold(), config.minCellSize());
        return ids.reserve(IdAllocator.CELL_IDS, choice.children().size()).chain(childIds -> {
            List<CellRecord> children = childCells(cell, choice, childIds);
            cell.firstChild = children.get(0).id;
            cell.partitionType = (short) choice.type().number();
            WorkingSet ws = new WorkingSet(LongStream.empty().iterator(), System.currentTimeMillis());
            ws.lockedCell(cell);
            children.forEach(ws::lockedCell);
            entities.forEach(ws::load);
            ws.beginUnit();
            ws.touchCell(cell.id);
            children.forEach(ch -> ws.touchCell(ch.id));
            for (EntityRecord e : entities) {
                ws.modify(e.id).cellId = children.stream().filter(ch -> ch.contains(e.x, e.y)).findFirst().orElseThrow().id;
            }
            ws.commitUnit("split:" + cell.id + ":" + (cell.version + 1), Rule.RULE_SPLIT);
            LOG.debugf("splitting cell %d (%d entities) with %s", cell.id, entities.size(), choice.type());
            return cells.insertCells(c, children)
                    .chain(() -> cells.copyTerrain(c, cell.id, children.stream().map(ch -> ch.id).toList()))
                    .chain(() -> cells.setStructure(c, cell))
                    .chain(() -> rmw.write(c, ws, List.of(), id -> 0))
                    .invoke(() -> metrics.counter("gamestate.partition.changes", "kind", "split").increment())
                    .replaceWith(true);
        });
    }

    private Uni<Boolean> merge(SqlConnection c, List<CellRecord> locked, long parentId, List<EntityRecord> entities) {
        CellRecord parent = locked.stream().filter(cell -> cell.id == parentId).findFirst().orElseThrow();
        List<Long> childIds = locked.stream().filter(cell -> cell.id != parentId).map(cell -> cell.id).toList();
        parent.firstChild = null;
        parent.partitionType = (short) PartitionType.PARTITION_NONE_VALUE;
        WorkingSet ws = new WorkingSet(LongStream.empty().iterator(), System.currentTimeMillis());
        locked.forEach(ws::lockedCell);
        entities.forEach(ws::load);
        ws.beginUnit();
        locked.forEach(cell -> ws.touchCell(cell.id));
        for (EntityRecord e : entities) {
            ws.modify(e.id).cellId = parentId;
        }
        ws.commitUnit("merge:" + parentId + ":" + (parent.version + 1), Rule.RULE_MERGE);
        LOG.debugf("merging %d cells (%d entities) into %d", childIds.size(), entities.size(), parentId);
        return rmw.write(c, ws, List.of(), id -> 0)
                .chain(() -> cells.setStructure(c, parent))
                .chain(() -> cells.deleteCells(c, childIds))
                .invoke(() -> metrics.counter("gamestate.partition.changes", "kind", "merge").increment())
                .replaceWith(true);
    }

    /** Siblings merge when every one is below the merge threshold and together they would not split again. */
    private boolean quiet(List<CellRecord> locked, long parentId) {
        int total = 0;
        for (CellRecord cell : locked) {
            if (cell.id == parentId) {
                continue;
            }
            if (cell.numEntities >= config.mergeThreshold() || cell.requestQueue >= config.queueSplitThreshold()) {
                return false;
            }
            total += cell.numEntities;
        }
        return total < config.splitThreshold();
    }

    private static List<CellRecord> childCells(CellRecord parent, Choice choice, PrimitiveIterator.OfLong ids) {
        List<CellRecord> children = new ArrayList<>();
        for (Rect r : choice.children()) {
            CellRecord child = new CellRecord();
            child.id = ids.nextLong();
            child.superblockId = parent.superblockId;
            child.parentId = parent.id;
            child.depth = (short) (parent.depth + 1);
            child.partitionType = (short) PartitionType.PARTITION_NONE_VALUE;
            child.minX = r.minX();
            child.minY = r.minY();
            child.maxX = r.maxX();
            child.maxY = r.maxY();
            if (!children.isEmpty()) {
                children.get(children.size() - 1).nextSibling = child.id;
            }
            children.add(child);
        }
        return children;
    }

    private static void requireSameMembers(List<EntityRecord> locked, Set<Long> now, long cellId) {
        Set<Long> lockedIds = new TreeSet<>();
        locked.forEach(e -> lockedIds.add(e.id));
        if (!lockedIds.equals(now)) {
            throw new RetryableStoreException("entities entered or left cell " + cellId + " before it was locked", null);
        }
    }
}
