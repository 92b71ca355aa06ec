package io.gamestate.state.service;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
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
    private final DistributionSummary depthAtAdmission;

    public CellQueues(MeterRegistry metrics) {
        // One series for all cells: a gauge per cell would be one time series per cell of the world.
        this.depthAtAdmission = DistributionSummary.builder("gamestate.cell.request_queue")
                .description("Units queued on a cell, this one included, when a unit is admitted to it")
                .publishPercentileHistogram().register(metrics);
    }

    public void admit(Map<Long, Integer> unitsPerCell) {
        unitsPerCell.forEach((cell, n) -> depthAtAdmission.record(depth.merge(cell, n, Integer::sum)));
    }

    public void release(Map<Long, Integer> unitsPerCell) {
        unitsPerCell.forEach((cell, n) -> depth.compute(cell, (k, v) -> v == null || v <= n ? null : v - n));
    }

    public int depth(long cellId) {
        return depth.getOrDefault(cellId, 0);
    }
}
