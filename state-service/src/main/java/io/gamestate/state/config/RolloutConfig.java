package io.gamestate.state.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Schema migrations once per Kubernetes rollout ({@code gamestate.rollout.*}, see RolloutMigration). */
@ConfigMapping(prefix = "gamestate.rollout")
public interface RolloutConfig {

    /** Run Flyway (with quarkus.flyway.migrate-at-start) and create the world, then exit: the migration Job. */
    @WithDefault("false")
    boolean migrateOnly();

    /** How long a replica waits at start for the world the migration Job creates; 0 does not wait. */
    @WithDefault("0s")
    Duration awaitWorld();
}
