package io.gamestate.state.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RMW-units admitted per cell and not yet committed, in this service instance. A batch admits
 * its units once it knows their cells and releases them when its transaction ends; each commit
 * writes the depth at that instant (its own units included) into the cell's {@code request_queue}.
 */
@ApplicationScoped
public class CellQueues {

    private final Map<Long, Integer> depth = new ConcurrentHashMap<>();

    public void admit(Map<Long, Integer> unitsPerCell) {
        unitsPerCell.forEach((cell, n) -> depth.merge(cell, n, Integer::sum));
    }

    public void release(Map<Long, Integer> unitsPerCell) {
        unitsPerCell.forEach((cell, n) -> depth.compute(cell, (k, v) -> v == null || v <= n ? null : v - n));
    }

    public int depth(long cellId) {
        return depth.getOrDefault(cellId, 0);
    }
}
