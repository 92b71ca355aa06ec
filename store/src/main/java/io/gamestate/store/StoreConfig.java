package io.gamestate.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Where the store (or its replica) is; the services' datasource URLs are built from these keys. */
@ConfigMapping(prefix = "gamestate.db")
public interface StoreConfig {

    @WithDefault("127.0.0.1")
    String host();

    /** Unset: the family's standard port (5432 or 3306). */
    Optional<Integer> port();

    @WithDefault("gamestate")
    String name();
}
