package io.gamestate.cdc;

import io.gamestate.common.servers.LocalMariaDb;
import io.gamestate.common.servers.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/** A store of the test's own with its log on, migrated with the suite's schema; killable. */
abstract class CaptureStore implements AutoCloseable {

    static final String DATABASE = "gamestate_cdc_test";

    abstract CaptureSettings.Log log();

    abstract int port();

    abstract String user();

    abstract String jdbcUrl();

    /** SIGKILL to the server, then a restart on the same data (crash recovery). */
    abstract void crash();

    @Override
    public abstract void close();

    CaptureSettings settings(String consumer, Path offsetDir) {
        return new CaptureSettings(log(), "127.0.0.1", port(), DATABASE, user(), "", consumer, true, Optional.of(offsetDir));
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), "");
    }

    void migrate() {
        Flyway.configure().dataSource(jdbcUrl(), user(), "")
                .locations("classpath:db/migration/" + (log() == CaptureSettings.Log.LOGICAL_DECODING ? "postgresql" : "mysql"))
                .load().migrate();
    }

    static CaptureStore postgres() {
        LocalPostgres pg = LocalPostgres.startTemporary(DATABASE, List.of("wal_level=logical", "max_replication_slots=4",
                "max_wal_senders=4"));
        CaptureStore store = new CaptureStore() {
            CaptureSettings.Log log() {
                return CaptureSettings.Log.LOGICAL_DECODING;
            }

            int port() {
                return pg.port();
            }

            String user() {
                return "postgres";
            }

            String jdbcUrl() {
                return "jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + DATABASE;
            }

            void crash() {
                pg.kill();
                pg.start();
            }

            public void close() {
                pg.close();
            }
        };
        store.migrate();
        return store;
    }

    static CaptureStore mariadb() {
        LocalMariaDb db = LocalMariaDb.start(DATABASE, "--log-bin=binlog", "--binlog-format=ROW", "--server-id=1",
                "--sync-binlog=1", "--innodb-flush-log-at-trx-commit=1");
        CaptureStore store = new CaptureStore() {
            CaptureSettings.Log log() {
                return CaptureSettings.Log.BINLOG;
            }

            int port() {
                return db.port();
            }

            String user() {
                return "root";
            }

            String jdbcUrl() {
                return "jdbc:mariadb://127.0.0.1:" + db.port() + "/" + DATABASE;
            }

            void crash() {
                db.kill();
                db.restart();
            }

            public void close() {
                db.close();
            }
        };
        store.migrate();
        return store;
    }
}
