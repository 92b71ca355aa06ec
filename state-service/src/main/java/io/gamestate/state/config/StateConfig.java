package io.gamestate.state.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Typed configuration of the state service ({@code gamestate.*}). */
@ConfigMapping(prefix = "gamestate")
public interface StateConfig {

    Rmw rmw();

    Partition partition();

    /** Adaptive AV1-style partitioning of superblocks into cells. */
    interface Partition {
        /** Automatic splits and merges after commits; off, cells change only when asked. */
        @WithDefault("true")
        boolean automatic();

        /** A leaf with more entities than this splits. */
        @WithDefault("64")
        int splitThreshold();

        /** A leaf whose request queue reaches this splits (if it has entities to spread). */
        @WithDefault("32")
        int queueSplitThreshold();

        /** Sibling leaves all below this (and together below the split threshold) merge. */
        @WithDefault("8")
        int mergeThreshold();

        /** No cell side gets shorter than this. */
        @WithDefault("16")
        double minCellSize();
    }

    Limits limits();

    /**
     * World limits. Every value a rule writes stays within them, so no counter or per-cell
     * aggregate (a sum of many such values in a BIGINT) can overflow.
     */
    interface Limits {
        /** Most gold one player holds. */
        @WithDefault("1000000000000")
        long maxGold();

        /** Largest item stack and largest resource node. */
        @WithDefault("1000000000000")
        long maxAmount();

        /** Highest hp a creature can have. */
        @WithDefault("1000000000")
        int maxHp();
    }

    Housekeeping housekeeping();

    interface Housekeeping {
        /** How often expired effects and request records are purged (read by Housekeeping's schedule). */
        @WithDefault("10s")
        String every();
    }

    interface Rmw {
        /** Largest ApplyBatch accepted; larger batches are INVALID_ARGUMENT. */
        @WithDefault("256")
        int maxBatchSize();

        /** How long a hit or heal marker stays in the effects layer. */
        @WithDefault("5s")
        Duration effectTtl();

        /** How long a request id keeps its stored result for replays. */
        @WithDefault("24h")
        Duration idempotencyTtl();

        /** Ids taken from the shared allocator at a time (hi/lo). */
        @WithDefault("1000")
        int idBlockSize();

        /**
         * Longest one transaction may take, begin to commit. Past it the store counts as
         * unreachable (UNAVAILABLE) and the transaction's slot goes to the next one: a store
         * connection that never answers again must not hold a slot of this service for good.
         */
        @WithDefault("15s")
        Duration transactionTimeout();

        GroupCommit groupCommit();
    }

    /** Single ApplyRmw calls share transactions while earlier ones run. */
    interface GroupCommit {
        /** Transactions of group-committed units running at once (keep below the pool size). */
        @WithDefault("2")
        int maxTransactions();

        /** Most units one group-committed transaction carries. */
        @WithDefault("64")
        int maxUnits();
    }
}
