package io.gamestate.devstack.scorecard;

import io.gamestate.devstack.transfers.BareStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the scorecard asks the store itself: its version, the settings a figure depends on, the
 * process to watch, and how many bytes of log it has written so far. PostgreSQL answers for the
 * PostgreSQL family, MariaDB for the MySQL family.
 */
public final class StoreProbe {

    private static final List<String> POSTGRES_SETTINGS = List.of("server_version", "default_transaction_isolation",
            "synchronous_commit", "fsync", "full_page_writes", "wal_level", "shared_buffers", "max_connections",
            "max_wal_size", "synchronous_standby_names");
    private static final List<String> MYSQL_SETTINGS = List.of("version", "tx_isolation", "innodb_flush_log_at_trx_commit",
            "sync_binlog", "log_bin", "binlog_format", "innodb_buffer_pool_size", "innodb_doublewrite", "max_connections",
            "wsrep_on");

    /** Bytes of log written since the server started: WAL, or InnoDB's redo log and the binary log. */
    public record LogPosition(long logBytes, Long binlogBytes) {
    }

    private final BareStore store;

    public StoreProbe(BareStore store) {
        this.store = store;
    }

    private boolean postgres() {
        return store.family() == BareStore.Family.POSTGRESQL;
    }

    public String version() throws SQLException {
        return store.version();
    }

    /** The settings by name as the server reports them; those the server does not have are left out. */
    public Map<String, String> settings() throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            for (String name : postgres() ? POSTGRES_SETTINGS : MYSQL_SETTINGS) {
                String sql = postgres() ? "SELECT setting FROM pg_settings WHERE name = '" + name + "'"
                        : "SHOW GLOBAL VARIABLES LIKE '" + name + "'";
                try (ResultSet rs = s.executeQuery(sql)) {
                    if (rs.next()) {
                        settings.put(name, rs.getString(postgres() ? 1 : 2));
                    }
                }
            }
            c.commit();
        }
        return settings;
    }

    /** A PostgreSQL server's data directory, as it reports it. */
    public Path dataDirectory() throws SQLException {
        try (Connection c = store.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW data_directory")) {
            rs.next();
            Path data = Path.of(rs.getString(1));
            c.commit();
            return data;
        }
    }

    /** The server's main process (postmaster or mariadbd), from its pid file; null when this machine cannot see it. */
    public Long serverPid() throws SQLException {
        String pidFile;
        try (Connection c = store.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(postgres() ? "SELECT setting || '/postmaster.pid' FROM pg_settings WHERE name = 'data_directory'"
                     : "SELECT @@pid_file")) {
            pidFile = rs.next() ? rs.getString(1) : null;
            c.commit();
        }
        if (pidFile == null) {
            return null;
        }
        try {
            return Long.valueOf(Files.readAllLines(Path.of(pidFile)).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return null; // another machine's store, or a pid file this user cannot read
        }
    }

    public LogPosition logPosition() throws SQLException {
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            LogPosition position;
            if (postgres()) {
                try (ResultSet rs = s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
                    rs.next();
                    position = new LogPosition(rs.getLong(1), null);
                }
            } else {
                long redo = globalStatus(s, "Innodb_os_log_written");
                boolean binlog;
                try (ResultSet rs = s.executeQuery("SELECT @@log_bin")) {
                    binlog = rs.next() && rs.getInt(1) == 1;
                }
                position = new LogPosition(redo, binlog ? globalStatus(s, "Binlog_bytes_written") : null);
            }
            c.commit();
            return position;
        }
    }

    private static long globalStatus(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            return rs.next() ? rs.getLong(2) : 0;
        }
    }
}
