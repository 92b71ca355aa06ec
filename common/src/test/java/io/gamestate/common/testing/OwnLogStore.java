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
 * at it ({@code gamestate.db.port}, {@code gamestate.db.name}). A test can crash it
 * ({@link #kill()}, SIGKILL) and start it again on its data ({@link #restart()}).
 */
public class OwnLogStore implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE_ARG = "database";

    /** The server of the test profile now running (Quarkus runs one profile's resources at a time). */
    private static volatile OwnLogStore running;

    private String database;
    private AutoCloseable server;
    private Runnable kill;
    private Runnable restart;

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
            kill = db::kill;
            restart = db::restart;
            port = db.port();
        } else {
            LocalPostgres pg = LocalPostgres.startTemporary(database, List.of("wal_level=logical"));
            server = pg;
            kill = pg::kill;
            restart = pg::start;
            port = pg.port();
        }
        running = this;
        return Map.of("gamestate.db.port", Integer.toString(port), "gamestate.db.name", database);
    }

    /** SIGKILL to the running test's server: a crash, committed work stays in its logs. */
    public static void kill() {
        current().kill.run();
    }

    /** Starts the killed server again on its data directory; returns once it takes connections. */
    public static void restart() {
        current().restart.run();
    }

    private static OwnLogStore current() {
        OwnLogStore store = running;
        if (store == null) {
            throw new IllegalStateException("no OwnLogStore is running: the test profile must list it as a test resource");
        }
        return store;
    }

    @Override
    public void stop() {
        running = null;
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
