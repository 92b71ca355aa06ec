package io.gamestate.common.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Where the store (or its replica) is; the services' datasource URLs are built from these keys. */
@ConfigMapping(prefix = "gamestate.db")
public interface StoreConfig {

    String host();

    /** Unset: the family's standard port (5432 or 3306). */
    Optional<Integer> port();

    String name();
}
