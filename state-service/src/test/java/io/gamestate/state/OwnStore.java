package io.gamestate.state;

import io.gamestate.common.servers.LocalPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * State-service on a PostgreSQL server of the test's own (own data directory and port), for
 * tests that kill the store: the machine's shared server and the other tests are untouched.
 */
public class OwnStore implements QuarkusTestResourceLifecycleManager {

    private static LocalPostgres server;

    static LocalPostgres server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = LocalPostgres.startTemporary("gamestate");
        String hostPort = "127.0.0.1:" + server.port() + "/gamestate";
        return Map.of("quarkus.datasource.reactive.url", "postgresql://" + hostPort,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPort);
    }

    @Override
    public void stop() {
        server.close();
    }
}
