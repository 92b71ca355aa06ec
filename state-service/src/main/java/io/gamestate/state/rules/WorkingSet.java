package io.gamestate.state.rules;

import io.gamestate.proto.state.v1.CellVersion;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.state.model.CellRecord;
import io.gamestate.state.model.EntityRecord;
import io.gamestate.state.model.Aggregates;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PrimitiveIterator;
import java.util.Set;

/**
 * The rows one transaction holds (locked roots, their trees, locked cells) and what its units do
 * to them. Units run one after the other; a unit that throws is undone in memory, so a batch
 * writes only the final state of its successful units. Counters and aggregates are not touched
 * by rules: they follow from the rows' before and after images when the batch is written.
 */
public final class WorkingSet {

    private final Map<Long, EntityRecord> entities = new HashMap<>();
    private final Map<Long, EntityRecord> loaded = new HashMap<>();
    private final Map<Long, CellRecord> cells = new HashMap<>();
    private final Set<Long> created = new LinkedHashSet<>();
    private final Set<Long> deleted = new LinkedHashSet<>();
    private final Set<Long> written = new LinkedHashSet<>();
    private final List<EffectRow> effects = new ArrayList<>();
    private final List<CellChange> changes = new ArrayList<>();
    private final PrimitiveIterator.OfLong ids;
    private final long now;

    private Unit unit;

    public WorkingSet(PrimitiveIterator.OfLong ids, long now) {
        this.ids = ids;
        this.now = now;
    }

    /** A row read from the store; rows already held keep their in-memory state. */
    public void load(EntityRecord row) {
        if (!entities.containsKey(row.id) && !deleted.contains(row.id)) {
            entities.put(row.id, row);
            loaded.put(row.id, row.copy());
        }
    }

    public void lockedCell(CellRecord cell) {
        cells.put(cell.id, cell);
    }

    public boolean holds(long id) {
        return entities.containsKey(id);
    }

    public long now() {
        return now;
    }

    // ---- unit scope -------------------------------------------------------------------------

    public void beginUnit() {
        unit = new Unit();
    }

    /** Keeps the unit's changes and bumps the version of every cell it touched. */
    public UnitOutcome commitUnit(String requestId, Rule rule) {
        Set<Long> touchedCells = new LinkedHashSet<>();
        for (Map.Entry<Long, EntityRecord> e : unit.before.entrySet()) {
            addCellOf(e.getValue(), touchedCells);
            EntityRecord now = entities.get(e.getKey());
            if (now != null) {
                addCellOf(now, touchedCells);
            }
        }
        for (long id : unit.createdIds) {
            EntityRecord now = entities.get(id);
            if (now != null) {
                addCellOf(now, touchedCells);
            }
        }
        touchedCells.addAll(unit.cells);
        List<EntityRecord> after = new ArrayList<>();
        List<Long> removed = new ArrayList<>();
        for (long id : unit.touchOrder) {
            EntityRecord now = entities.get(id);
            if (now != null) {
                after.add(now.copy());
            } else if (!unit.createdIds.contains(id)) {
                removed.add(id);
            }
        }
        List<CellVersion> versions = new ArrayList<>();
        for (long cellId : touchedCells) {
            CellRecord cell = cells.get(cellId);
            cell.version++;
            versions.add(CellVersion.newBuilder().setCellId(cellId).setVersion(cell.version).build());
            changes.add(new CellChange(cellId, cell.superblockId, cell.version, requestId, rule, after, removed));
        }
        written.addAll(unit.touchOrder);
        effects.addAll(unit.effects);
        UnitOutcome outcome = new UnitOutcome(after, removed, versions, unit.harvested);
        unit = null;
        return outcome;
    }

    /** Puts every row the failed unit changed back as it was before the unit. */
    public void rollbackUnit() {
        for (Map.Entry<Long, EntityRecord> e : unit.before.entrySet()) {
            entities.put(e.getKey(), e.getValue());
            deleted.remove(e.getKey());
        }
        for (long id : unit.createdIds) {
            entities.remove(id);
            created.remove(id);
            deleted.remove(id);
        }
        unit = null;
    }

    // ---- rows -------------------------------------------------------------------------------

    public EntityRecord find(long id) {
        return entities.get(id);
    }

    public EntityRecord require(long id, String role) {
        EntityRecord e = entities.get(id);
        if (e == null) {
            throw RuleViolation.notFound(role + " " + id + " does not exist");
        }
        return e;
    }

    /** The row, recorded for undo and version-bumped the first time this unit changes it. */
    public EntityRecord modify(long id) {
        EntityRecord e = entities.get(id);
        if (e == null) {
            throw new IllegalStateException("row " + id + " was not loaded for this unit");
        }
        if (!unit.createdIds.contains(id) && !unit.before.containsKey(id)) {
            unit.before.put(id, e.copy());
            unit.touchOrder.add(id);
            e.version++;
        }
        return e;
    }

    public EntityRecord create(EntityRecord e) {
        e.id = ids.nextLong();
        e.version = 1;
        entities.put(e.id, e);
        created.add(e.id);
        unit.createdIds.add(e.id);
        unit.touchOrder.add(e.id);
        return e;
    }

    public void delete(long id) {
        modify(id);
        entities.remove(id);
        deleted.add(id);
    }

    public CellRecord leafAt(double x, double y) {
        for (CellRecord c : cells.values()) {
            if (c.isLeaf() && c.contains(x, y)) {
                return c;
            }
        }
        throw new RetryableStoreException("stale partition: no locked leaf cell holds (" + x + ", " + y + ")", null);
    }

    public long newId() {
        return ids.nextLong();
    }

    public void addEffect(long cellId, long targetId, String kind, int magnitude, long expiresAt) {
        unit.effects.add(new EffectRow(ids.nextLong(), cellId, targetId, kind, magnitude, expiresAt));
    }

    /** Records a change of the cell itself (a split or merge), even if no entity moves. */
    public void touchCell(long cellId) {
        unit.cells.add(cellId);
    }

    public void setHarvested(long amount) {
        unit.harvested = amount;
    }

    // ---- LCRS tree operations ---------------------------------------------------------------

    /** Links a detached node as the first child of parent: O(1). */
    public void link(long childId, long parentId) {
        EntityRecord parent = modify(parentId);
        EntityRecord child = modify(childId);
        child.parentId = parent.id;
        child.prevSibling = null;
        child.nextSibling = parent.firstChild;
        if (parent.firstChild != null) {
            modify(parent.firstChild).prevSibling = child.id;
        }
        parent.firstChild = child.id;
    }

    /** Detaches a node (with its subtree) from its parent and siblings: O(1) with prev links. */
    public void unlink(long childId) {
        EntityRecord child = modify(childId);
        if (child.prevSibling != null) {
            modify(child.prevSibling).nextSibling = child.nextSibling;
        } else {
            modify(child.parentId).firstChild = child.nextSibling;
        }
        if (child.nextSibling != null) {
            modify(child.nextSibling).prevSibling = child.prevSibling;
        }
        child.parentId = null;
        child.prevSibling = null;
        child.nextSibling = null;
    }

    /** All nodes below root, depth first, walking first-child and next-sibling links. */
    public List<EntityRecord> descendants(long rootId) {
        List<EntityRecord> out = new ArrayList<>();
        Deque<Long> todo = new ArrayDeque<>();
        Long first = entities.get(rootId).firstChild;
        if (first != null) {
            todo.push(first);
        }
        while (!todo.isEmpty()) {
            long id = todo.pop();
            EntityRecord e = entities.get(id);
            if (e == null) {
                throw new IllegalStateException("subtree row " + id + " of " + rootId + " was not loaded");
            }
            out.add(e);
            if (e.nextSibling != null) {
                todo.push(e.nextSibling);
            }
            if (e.firstChild != null) {
                todo.push(e.firstChild);
            }
        }
        return out;
    }

    /** Whether every node below root is held, so that {@link #descendants} can walk them. */
    public boolean holdsSubtree(long rootId) {
        Deque<Long> todo = new ArrayDeque<>();
        todo.push(rootId);
        while (!todo.isEmpty()) {
            EntityRecord e = entities.get(todo.pop());
            if (e == null) {
                return false;
            }
            if (e.firstChild != null) {
                todo.push(e.firstChild);
            }
            if (e.nextSibling != null && e.id != rootId) {
                todo.push(e.nextSibling);
            }
        }
        return true;
    }

    /** A direct child item of the holder with the given item type, if there is one. */
    public EntityRecord childStack(long holderId, String itemType) {
        for (EntityRecord e : entities.values()) {
            if (Long.valueOf(holderId).equals(e.parentId) && e.entityKind() == EntityKind.ENTITY_KIND_ITEM
                    && itemType.equals(e.itemType)) {
                return e;
            }
        }
        return null;
    }

    // ---- what the batch writes --------------------------------------------------------------

    public List<EntityRecord> inserts() {
        List<EntityRecord> out = new ArrayList<>();
        for (long id : written) {
            if (created.contains(id) && entities.containsKey(id)) {
                out.add(entities.get(id));
            }
        }
        return out;
    }

    public List<EntityRecord> updates() {
        List<EntityRecord> out = new ArrayList<>();
        for (long id : written) {
            if (!created.contains(id) && entities.containsKey(id)) {
                out.add(entities.get(id));
            }
        }
        return out;
    }

    public List<Long> deletes() {
        List<Long> out = new ArrayList<>();
        for (long id : written) {
            if (!created.contains(id) && deleted.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    public boolean hasWrites() {
        return !written.isEmpty();
    }

    public Collection<CellRecord> cells() {
        return cells.values();
    }

    public List<EffectRow> effects() {
        return effects;
    }

    public List<CellChange> changes() {
        return changes;
    }

    /**
     * Counter and aggregate deltas of the batch: what the placed rows contribute now minus what
     * they contributed when loaded. Every rule, present and future, is covered by construction.
     */
    public Map<Aggregates.Key, Aggregates.Delta> aggregateDeltas() {
        Map<Aggregates.Key, Aggregates.Delta> deltas = new LinkedHashMap<>();
        for (long id : written) {
            Aggregates.add(deltas, loaded.get(id), -1);
            Aggregates.add(deltas, entities.get(id), +1);
        }
        deltas.values().removeIf(Aggregates.Delta::isZero);
        return deltas;
    }

    private void addCellOf(EntityRecord e, Set<Long> out) {
        if (e.isRoot()) {
            if (e.cellId != null) {
                out.add(e.cellId);
            }
            return;
        }
        EntityRecord owner = entities.get(e.ownerId);
        if (owner == null) {
            owner = loaded.get(e.ownerId);
        }
        if (owner != null && owner.cellId != null) {
            out.add(owner.cellId);
        }
    }

    private static final class Unit {
        final Map<Long, EntityRecord> before = new HashMap<>();
        final Set<Long> createdIds = new LinkedHashSet<>();
        final List<Long> touchOrder = new ArrayList<>();
        final List<EffectRow> effects = new ArrayList<>();
        final Set<Long> cells = new LinkedHashSet<>();
        long harvested;
    }

    public record EffectRow(long id, long cellId, long targetId, String kind, int magnitude, long expiresAt) {
    }

    public record CellChange(long cellId, int superblockId, long version, String requestId, Rule rule, List<EntityRecord> entities,
                             List<Long> removed) {
    }

    public record UnitOutcome(List<EntityRecord> entities, List<Long> removed, List<CellVersion> cells,
                              long harvested) {
    }

}
