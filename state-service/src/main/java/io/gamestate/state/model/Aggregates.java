package io.gamestate.state.model;

import java.util.Map;

/** How a placed entity counts in its cell's per-layer, per-kind aggregate row. */
public final class Aggregates {

    private Aggregates() {
    }

    public record Key(long cellId, short layer, short kind) {
    }

    /** Change of one aggregate row: count, resource amount, hp. */
    public static final class Delta {
        public long count;
        public long amount;
        public long hp;

        public boolean isZero() {
            return count == 0 && amount == 0 && hp == 0;
        }
    }

    /** Adds (sign +1) or removes (sign -1) what e contributes; held entities contribute nothing. */
    public static void add(Map<Key, Delta> deltas, EntityRecord e, int sign) {
        if (e == null || !e.isRoot() || e.cellId == null) {
            return;
        }
        Key key = new Key(e.cellId, (short) Kinds.layerOf(e.entityKind()).getNumber(), e.kind);
        Delta d = deltas.computeIfAbsent(key, k -> new Delta());
        d.count += sign;
        d.amount += sign * e.amount;
        d.hp += (long) sign * e.hp;
    }
}
