package io.gamestate.common.testing;

import io.gamestate.common.servers.LocalMariaDb;
import io.gamestate.common.servers.LocalPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/**
 * The test profile's store family on a server of the test's own that writes the log capture
 * reads (the shared servers do not): PostgreSQL with wal_level=logical, MariaDB with a row binlog.
 * Init argument {@code database}: the database created on it. The service under test is pointed
 * at it ({@code gamestate.db.port}, {@code gamestate.db.name}).
 */
public class OwnLogStore implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE_ARG = "database";

    private String database;
    private AutoCloseable server;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get(DATABASE_ARG);
        if (database == null) {
            throw new IllegalArgumentException("OwnLogStore needs the init argument " + DATABASE_ARG);
        }
    }

    @Override
    public Map<String, String> start() {
        int port;
        if (TestDatabases.ofTestProfile() == TestDatabases.Server.MARIADB) {
            LocalMariaDb db = LocalMariaDb.start(database, "--log-bin=binlog", "--binlog-format=ROW", "--server-id=1");
            server = db;
            port = db.port();
        } else {
            LocalPostgres pg = LocalPostgres.startTemporary(database, List.of("wal_level=logical"));
            server = pg;
            port = pg.port();
        }
        return Map.of("gamestate.db.port", Integer.toString(port), "gamestate.db.name", database);
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
