package io.gamestate.query.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Typed configuration of the query service ({@code gamestate.*}, world keys shared with state-service). */
@ConfigMapping(prefix = "gamestate")
public interface QueryConfig {

    Query query();

    /** Caps that keep every query's work bounded; requests above them are INVALID_ARGUMENT. */
    interface Query {
        /** Largest k of NearestEntities. */
        @WithDefault("100")
        int maxK();

        /** Largest limit of box and radius queries (and their default). */
        @WithDefault("1000")
        int maxResults();

        /** Most leaf cells a RegionLayers region may cover; also the most cells a watch may cover. */
        @WithDefault("256")
        int maxRegionCells();

        /** Most entities RegionLayers returns before it asks for a smaller region. */
        @WithDefault("10000")
        int maxRegionEntities();

        /** Most cells one PartitionTree returns. */
        @WithDefault("4096")
        int maxTreeCells();

        /** Largest Subtree page. */
        @WithDefault("500")
        int maxPageSize();

        /** Deepest Subtree level (also bounds the recursion should a hierarchy ever be cyclic). */
        @WithDefault("32")
        int maxSubtreeDepth();

        /** Most Morton key ranges (index range scans) one box is decomposed into. */
        @WithDefault("16")
        int mortonRanges();

        /**
         * Where watches learn of committed changes: {@code poll} reads the change log every
         * watch-poll (portable, any store); {@code log} follows the store's own log (PostgreSQL
         * logical decoding, MariaDB row binlog) and reads the change log only to catch up.
         */
        @WithDefault("poll")
        WatchSource watchSource();

        /** How often a watch polls the change log (watch-source poll). */
        @WithDefault("50ms")
        Duration watchPoll();

        /** Most change events one poll reads. */
        @WithDefault("500")
        int watchPageSize();
    }

    enum WatchSource {
        POLL, LOG
    }
}
