package io.gamestate.state.service;

import io.gamestate.common.world.Partitioner;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.model.CellRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Watches the counters every commit leaves behind and starts a split or merge in the background
 * when a cell crosses a threshold. At most one partition change per cell runs at a time; the
 * RMW that triggered it has already answered its caller. A crowded leaf already at the minimum
 * cell size is left alone before any work: a split would lock its (possibly thousands of)
 * entities only to find it cannot cut it, and a crowded town holds hundreds of such leaves.
 */
@ApplicationScoped
public class PartitionTrigger {

    private static final Logger LOG = Logger.getLogger(PartitionTrigger.class);

    private final PartitionService partitions;
    private final StateConfig.Partition config;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();

    public PartitionTrigger(PartitionService partitions, StateConfig config) {
        this.partitions = partitions;
        this.config = config.partition();
    }

    void afterCommit(Collection<CellRecord> cells) {
        if (!config.automatic()) {
            return;
        }
        for (CellRecord cell : cells) {
            boolean crowded = cell.numEntities > config.splitThreshold()
                    || (cell.requestQueue >= config.queueSplitThreshold() && cell.numEntities > 1);
            if (cell.isLeaf() && crowded && Partitioner.canSplit(cell.bounds(), config.minCellSize()) && running.add(cell.id)) {
                partitions.split(cell.id).subscribe().with(done -> running.remove(cell.id), failure -> {
                    running.remove(cell.id);
                    LOG.warnf(failure, "split of cell %d failed", cell.id);
                });
            } else if (cell.isLeaf() && cell.parentId != null && cell.numEntities < config.mergeThreshold()
                    && running.add(cell.parentId)) {
                partitions.merge(cell.parentId, false).subscribe().with(done -> running.remove(cell.parentId), failure -> {
                    running.remove(cell.parentId);
                    LOG.warnf(failure, "merge into cell %d failed", cell.parentId);
                });
            }
        }
    }
}
