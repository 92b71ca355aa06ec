package io.gamestate.query;

import io.gamestate.common.testing.OwnMariaDb;
import io.gamestate.common.servers.LocalPostgres;
import io.gamestate.common.testing.TestDatabases;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/**
 * The test profile's store family on a server of the test's own that writes the log capture
 * reads (the shared servers do not): PostgreSQL with wal_level=logical, MariaDB with a row binlog.
 */
public class OwnLogStore implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = "gamestate_query_test";

    private AutoCloseable server;

    @Override
    public Map<String, String> start() {
        int port;
        if (TestDatabases.ofTestProfile() == TestDatabases.Server.MARIADB) {
            OwnMariaDb db = OwnMariaDb.start(DATABASE, "--log-bin=binlog", "--binlog-format=ROW", "--server-id=1");
            server = db;
            port = db.port();
        } else {
            LocalPostgres pg = LocalPostgres.startTemporary(DATABASE, List.of("wal_level=logical"));
            server = pg;
            port = pg.port();
        }
        return Map.of("gamestate.db.port", Integer.toString(port), "gamestate.db.name", DATABASE);
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
