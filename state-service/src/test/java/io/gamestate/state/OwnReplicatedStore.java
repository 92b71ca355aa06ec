package io.gamestate.state;

import io.gamestate.common.servers.LocalPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * State-service on a PostgreSQL primary of the test's own with a synchronous streaming hot
 * standby (own data directories and ports), configured with the standby in
 * {@code gamestate.db.standbys}: a test can kill the primary and promote the standby.
 */
public class OwnReplicatedStore implements QuarkusTestResourceLifecycleManager {

    static final String STANDBY_NAME = "standby";

    private static LocalPostgres primary;
    private static LocalPostgres standby;

    static LocalPostgres primary() {
        return primary;
    }

    static LocalPostgres standby() {
        return standby;
    }

    @Override
    public Map<String, String> start() {
        primary = LocalPostgres.startTemporary("gamestate");
        try {
            standby = primary.standby(Files.createTempDirectory("own-standby-"), LocalPostgres.freePort(), STANDBY_NAME,
                    List.of("max_connections=100"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        standby.start();
        primary.psql("ALTER SYSTEM SET synchronous_standby_names = '" + STANDBY_NAME + "'");
        primary.psql("SELECT pg_reload_conf()");
        String hostPort = "127.0.0.1:" + primary.port() + "/gamestate";
        return Map.of("quarkus.datasource.reactive.url", "postgresql://" + hostPort,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPort,
                "gamestate.db.standbys", "127.0.0.1:" + standby.port());
    }

    @Override
    public void stop() {
        standby.close();
        primary.close();
    }
}
