package io.gamestate.state.service;

import io.gamestate.state.model.CellRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leaf cells of each superblock as an RMW attempt last read them, so that an attempt can lock
 * a target's leaf before it reads anything. The knowledge may be stale (a split or a merge since):
 * the leaf is checked again under its lock, and a unit whose target it no longer holds runs again
 * on the path that reads the leaves, which refreshes them here.
 */
@ApplicationScoped
public class KnownLeaves {

    /** Rows of unlocked reads, which nothing changes once read. */
    private final Map<Integer, List<CellRecord>> bySuperblock = new ConcurrentHashMap<>();

    /** The leaves read of the given superblocks: all of their leaves, as one read saw them. */
    void remember(Collection<Integer> superblocks, List<CellRecord> leaves) {
        Map<Integer, List<CellRecord>> read = new HashMap<>();
        superblocks.forEach(superblock -> read.put(superblock, new ArrayList<>()));
        for (CellRecord c : leaves) {
            read.computeIfAbsent(c.superblockId, k -> new ArrayList<>()).add(c);
        }
        read.forEach((superblock, known) -> bySuperblock.put(superblock, List.copyOf(known)));
    }

    /** The id of the leaf last known to hold (x, y) in the superblock, or null. */
    Long leafAt(int superblock, double x, double y) {
        for (CellRecord leaf : bySuperblock.getOrDefault(superblock, List.of())) {
            if (leaf.contains(x, y)) {
                return leaf.id;
            }
        }
        return null;
    }
}
