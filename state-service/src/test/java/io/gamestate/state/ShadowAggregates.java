package io.gamestate.state;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gamestate.cdc.BusConsumer.BusChange;
import io.gamestate.proto.state.v1.ChangeEvent;
import io.gamestate.proto.state.v1.Entity;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The shadow layer: per-superblock, per-kind aggregates (count, resource amount, hp) kept from
 * the change bus alone, the way a consumer outside the suite would keep a derived view. Each
 * event carries the touched entities as they are after the unit, and the removed ones; an entity
 * counts where its latest version (by entity version, so subjects may interleave in any order)
 * places it, if it is placed in the world (a root with a cell), as state-service counts it in
 * {@code cell_aggregate}. Repeats of a cell version are dropped; a version past the next one is a
 * gap and fails loudly.
 */
public final class ShadowAggregates {

    /** One row of the comparison: a superblock and an entity kind. */
    public record Key(int superblockId, int kind) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return superblockId != o.superblockId ? Integer.compare(superblockId, o.superblockId) : Integer.compare(kind, o.kind);
        }
    }

    public record Totals(long count, long amount, long hp) {
        Totals plus(Totals o) {
            return new Totals(count + o.count, amount + o.amount, hp + o.hp);
        }
    }

    private record Known(long version, long cellId, int kind, long amount, int hp, boolean placed) {
    }

    private final Map<Long, Long> cellVersions = new HashMap<>();
    private final Map<Long, Integer> superblockOfCell = new HashMap<>();
    private final Map<Long, Known> entities = new HashMap<>();
    private final Set<Long> removed = new HashSet<>();
    private long applied;
    private long repeats;

    /** Applies a bus change; false when it is a repeat of a version already applied. */
    public boolean apply(BusChange change) {
        long last = cellVersions.getOrDefault(change.cellId(), 0L);
        if (change.cellVersion() <= last) {
            repeats++;
            return false;
        }
        if (change.cellVersion() != last + 1) {
            throw new IllegalStateException("gap in cell " + change.cellId() + ": version " + last + " then "
                    + change.cellVersion());
        }
        cellVersions.put(change.cellId(), change.cellVersion());
        superblockOfCell.put(change.cellId(), change.superblockId());
        ChangeEvent event = parse(change.payload());
        for (Entity e : event.getEntitiesList()) {
            Known known = entities.get(e.getId());
            if (!removed.contains(e.getId()) && (known == null || e.getVersion() > known.version())) {
                entities.put(e.getId(), new Known(e.getVersion(), e.getCellId(), e.getKindValue(), e.getAmount(), e.getHp(),
                        e.getParentId() == 0 && e.getCellId() != 0));
            }
        }
        for (long id : event.getRemovedEntityIdsList()) {
            removed.add(id);
            entities.remove(id);
        }
        applied++;
        return true;
    }

    public long applied() {
        return applied;
    }

    public long repeats() {
        return repeats;
    }

    /** The aggregates the stream implies, without empty rows. */
    public Map<Key, Totals> totals() {
        Map<Key, Totals> out = new TreeMap<>();
        for (Known e : entities.values()) {
            if (e.placed()) {
                Integer superblock = superblockOfCell.get(e.cellId());
                if (superblock == null) {
                    // Placed in a cell no event named yet (a split's child): its superblock is its parent's,
                    // which only the store knows; a caught-up shadow has seen every cell it counts.
                    throw new IllegalStateException("entity in cell " + e.cellId() + " that no event named");
                }
                out.merge(new Key(superblock, e.kind()), new Totals(1, e.amount(), e.hp()), Totals::plus);
            }
        }
        return out;
    }

    /** The same figures summed from {@code cell_aggregate}, without empty rows. */
    public static Map<Key, Totals> fromStore(Connection c) throws SQLException {
        Map<Key, Totals> out = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT c.superblock_id, a.kind, SUM(a.entity_count), SUM(a.amount_total),"
                     + " SUM(a.hp_total) FROM cell_aggregate a JOIN cell c ON c.id = a.cell_id"
                     + " GROUP BY c.superblock_id, a.kind")) {
            while (r.next()) {
                Totals t = new Totals(r.getLong(3), r.getLong(4), r.getLong(5));
                if (t.count() != 0 || t.amount() != 0 || t.hp() != 0) {
                    out.put(new Key(r.getInt(1), r.getInt(2)), t);
                }
            }
        }
        return out;
    }

    private static ChangeEvent parse(byte[] payload) {
        try {
            return ChangeEvent.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a bus message is not a ChangeEvent", e);
        }
    }
}
