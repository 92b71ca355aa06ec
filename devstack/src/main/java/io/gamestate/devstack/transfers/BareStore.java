package io.gamestate.devstack.transfers;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The store with no service in between: the plain SQL shape of a transfer over JDBC, for the
 * figure the suite's transfers are compared to. Users are the services' defaults (postgres, root;
 * empty passwords).
 */
public final class BareStore {

    /** As the services' build profiles: PostgreSQL family by default, mysql for MariaDB and MySQL. */
    public enum Family {
        POSTGRESQL("postgresql", 5432, "postgres"), MYSQL("mysql", 3306, "root");

        public final String label;
        final int defaultPort;
        final String user;

        Family(String label, int defaultPort, String user) {
            this.label = label;
            this.defaultPort = defaultPort;
            this.user = user;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Family family;
    private final String host;
    private final int port;
    private final String database;

    public BareStore(Family family, String host, Integer port, String database) {
        this.family = family;
        this.host = host;
        this.port = port == null ? family.defaultPort : port;
        this.database = database;
    }

    public String url() {
        return (family == Family.POSTGRESQL ? "jdbc:postgresql://" : "jdbc:mariadb://") + host + ":" + port + "/" + database;
    }

    /**
     * Through the driver itself, not DriverManager: the Quarkus class loader need not expose the
     * drivers' service entries to DriverManager.
     */
    public Connection connect() throws SQLException {
        Driver driver = family == Family.POSTGRESQL ? new org.postgresql.Driver() : new org.mariadb.jdbc.Driver();
        Properties credentials = new Properties();
        credentials.setProperty("user", family.user);
        credentials.setProperty("password", "");
        Connection connection = driver.connect(url(), credentials);
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        connection.setAutoCommit(false);
        return connection;
    }

    public String version() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            String version = rs.getString(1);
            c.commit();
            return version;
        }
    }

    /** SUM(gold) over the given entities. */
    public long totalGold(List<Long> ids) throws SQLException {
        long total = 0;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < ids.size(); i += 1000) {
                String in = ids.subList(i, Math.min(ids.size(), i + 1000)).stream().map(String::valueOf)
                        .collect(Collectors.joining(","));
                try (ResultSet rs = s.executeQuery("SELECT SUM(gold) FROM entity WHERE id IN (" + in + ")")) {
                    rs.next();
                    total += rs.getLong(1);
                }
            }
            c.commit();
        }
        return total;
    }

    /** How one transfer ended: the attempts lost to a deadlock or serialization failure, and an error code or null. */
    public record Outcome(int retries, String errorCode) {
    }

    /** One worker's connection and its prepared statements, for one worker thread. */
    public final class Transferor implements AutoCloseable {

        private final Connection connection;
        private final PreparedStatement lock;
        private final PreparedStatement debit;
        private final PreparedStatement credit;

        public Transferor() throws SQLException {
            connection = connect();
            lock = connection.prepareStatement("SELECT gold FROM entity WHERE id IN (?, ?) ORDER BY id FOR UPDATE");
            debit = connection.prepareStatement("UPDATE entity SET gold = gold - ? WHERE id = ?");
            credit = connection.prepareStatement("UPDATE entity SET gold = gold + ? WHERE id = ?");
        }

        /** gold from a to b: lock both rows in id order, two UPDATEs, COMMIT; retried when the store gives up on it. */
        public Outcome transfer(long from, long to, long gold) throws SQLException {
            int retries = 0;
            while (true) {
                try {
                    lock.setLong(1, Math.min(from, to));
                    lock.setLong(2, Math.max(from, to));
                    long[] golds = new long[2];
                    int rows = 0;
                    try (ResultSet rs = lock.executeQuery()) {
                        while (rs.next() && rows < 2) {
                            golds[rows++] = rs.getLong(1);
                        }
                    }
                    if (rows != 2) {
                        connection.rollback();
                        return new Outcome(retries, "NOT_FOUND");
                    }
                    // The same precondition as the Trade rule: the giver has the gold.
                    if (golds[from < to ? 0 : 1] < gold) {
                        connection.rollback();
                        return new Outcome(retries, "FAILED_PRECONDITION");
                    }
                    debit.setLong(1, gold);
                    debit.setLong(2, from);
                    debit.executeUpdate();
                    credit.setLong(1, gold);
                    credit.setLong(2, to);
                    credit.executeUpdate();
                    connection.commit();
                    return new Outcome(retries, null);
                } catch (SQLException e) {
                    connection.rollback();
                    if (!retryable(e)) {
                        return new Outcome(retries, "SQLSTATE_" + e.getSQLState());
                    }
                    retries++;
                }
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** Deadlock or serialization failure (40001, 40P01), or MariaDB's lock wait timeout (1205). */
    static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state) || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
    }
}
