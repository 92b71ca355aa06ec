package io.gamestate.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
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

    /**
     * The store's other nodes ({@code host:port}), PostgreSQL family: state-service opens its
     * connections to whichever of {@code host:port} and these is the primary, so it follows a
     * failover to a promoted standby without a restart. Unset: {@code host:port} alone.
     */
    Optional<List<String>> standbys();

    /**
     * The store is a multi-primary cluster (MariaDB Galera), where a transaction may be aborted
     * at any statement by a write set another node committed first. MySQL family: connections then
     * run with autocommit off, so the statements pipelined behind the aborted one cannot commit on
     * their own (state-service's ReadCommittedMySqlPool).
     */
    @WithDefault("false")
    boolean multiPrimary();
}
