package io.gamestate.state;

import io.gamestate.common.servers.LocalGalera;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * State-service on node 1 of a two-node MariaDB Galera cluster of the test's own, configured as a
 * multi-primary store; a test writes through node 2 as another state-service would.
 */
public class OwnGalera implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = "gamestate";

    private static LocalGalera cluster;

    /** JDBC URL of node n (1-based), user root with no password. */
    static String jdbcUrl(int node) {
        return "jdbc:mariadb://127.0.0.1:" + cluster.node(node).port() + "/" + DATABASE;
    }

    @Override
    public Map<String, String> start() {
        cluster = LocalGalera.start(2, DATABASE);
        String hostPort = "127.0.0.1:" + cluster.node(1).port() + "/" + DATABASE;
        return Map.of("quarkus.datasource.reactive.url", "mysql://" + hostPort,
                "quarkus.datasource.jdbc.url", "jdbc:mariadb://" + hostPort,
                "gamestate.db.multi-primary", "true");
    }

    @Override
    public void stop() {
        cluster.close();
    }
}
