package io.gamestate.devstack.transfers;

import io.gamestate.devstack.EnumNames;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The store with no service in between: the plain SQL shape of a transfer over JDBC, for the
 * figure the suite's transfers are compared to. Users are the services' defaults (postgres, root;
 * empty passwords).
 */
public final class BareStore {

    /** As the services' build profiles: PostgreSQL family by default, mysql for MariaDB and MySQL. */
    public enum Family {
        POSTGRESQL(5432, "postgres"), MYSQL(3306, "root");

        final int defaultPort;
        final String user;

        Family(int defaultPort, String user) {
            this.defaultPort = defaultPort;
            this.user = user;
        }

        @Override
        public String toString() {
            return EnumNames.of(this);
        }
    }

    private final Family family;
    private final String host;
    private final int port;
    private final String database;


    /** Where the services' store is, from the same environment variables the services read (GAMESTATE_DB_*). */
    public static BareStore fromEnvironment(Family family) {
        Map<String, String> env = System.getenv();
        return new BareStore(family, env.getOrDefault("GAMESTATE_DB_HOST", "127.0.0.1"),
                env.containsKey("GAMESTATE_DB_PORT") ? Integer.valueOf(env.get("GAMESTATE_DB_PORT")) : null,
                env.getOrDefault("GAMESTATE_DB_NAME", "gamestate"));
    }

    public BareStore(Family family, String host, Integer port, String database) {
        this.family = family;
        this.host = host;
        this.port = port == null ? family.defaultPort : port;
        this.database = database;
    }

    public Family family() {
        return family;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String user() {
        return family.user;
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

    /** How one transfer ended: the attempts lost to a deadlock or serialization failure (by cause), and an error code or null. */
    public record Outcome(Map<String, Integer> retries, String errorCode) {
    }

    /**
     * The transfer as one round trip: a function (PostgreSQL family) or procedure (MySQL family)
     * doing what {@link Transferor#transfer} does, installed by the scorecard, not by the suite's
     * migrations: it exists only to put a number on the store's best case. Answers 0 done, 1 not
     * found, 2 too little gold.
     */
    public void installProcedure() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            if (family == Family.POSTGRESQL) {
                s.execute("DROP FUNCTION IF EXISTS scorecard_transfer(BIGINT, BIGINT, BIGINT)");
                s.execute("""
                        CREATE FUNCTION scorecard_transfer(p_giver BIGINT, p_taker BIGINT, p_gold BIGINT) RETURNS INT AS $$
                        DECLARE held BIGINT; locked INT;
                        BEGIN
                          PERFORM 1 FROM entity WHERE id IN (p_giver, p_taker) ORDER BY id FOR UPDATE;
                          GET DIAGNOSTICS locked = ROW_COUNT;
                          IF locked <> 2 THEN RETURN 1; END IF;
                          SELECT gold INTO held FROM entity WHERE id = p_giver;
                          IF held < p_gold THEN RETURN 2; END IF;
                          UPDATE entity SET gold = gold - p_gold WHERE id = p_giver;
                          UPDATE entity SET gold = gold + p_gold WHERE id = p_taker;
                          RETURN 0;
                        END $$ LANGUAGE plpgsql""");
            } else {
                s.execute("DROP PROCEDURE IF EXISTS scorecard_transfer");
                s.execute("""
                        CREATE PROCEDURE scorecard_transfer(IN p_giver BIGINT, IN p_taker BIGINT, IN p_gold BIGINT, OUT outcome INT)
                        BEGIN
                          DECLARE held BIGINT;
                          DECLARE locked INT;
                          START TRANSACTION;
                          SELECT COUNT(*) INTO locked FROM (SELECT id FROM entity WHERE id IN (p_giver, p_taker) ORDER BY id FOR UPDATE) AS l;
                          SELECT gold INTO held FROM entity WHERE id = p_giver;
                          IF locked <> 2 THEN SET outcome = 1; ROLLBACK;
                          ELSEIF held < p_gold THEN SET outcome = 2; ROLLBACK;
                          ELSE
                            UPDATE entity SET gold = gold - p_gold WHERE id = p_giver;
                            UPDATE entity SET gold = gold + p_gold WHERE id = p_taker;
                            COMMIT;
                            SET outcome = 0;
                          END IF;
                        END""");
            }
            c.commit();
        }
    }

    /** One worker's connection and its prepared statements, for one worker thread. */
    public final class Transferor implements AutoCloseable {

        private final Connection connection;
        private final PreparedStatement lock;
        private final PreparedStatement debit;
        private final PreparedStatement credit;
        private final CallableStatement procedure;

        public Transferor() throws SQLException {
            connection = connect();
            lock = connection.prepareStatement("SELECT gold FROM entity WHERE id IN (?, ?) ORDER BY id FOR UPDATE");
            debit = connection.prepareStatement("UPDATE entity SET gold = gold - ? WHERE id = ?");
            credit = connection.prepareStatement("UPDATE entity SET gold = gold + ? WHERE id = ?");
            procedure = connection.prepareCall(family == Family.POSTGRESQL ? "{? = call scorecard_transfer(?, ?, ?)}"
                    : "{call scorecard_transfer(?, ?, ?, ?)}");
        }

        /** gold from a to b in one round trip: the installed procedure, in its own transaction. */
        public Outcome transferByProcedure(long from, long to, long gold) throws SQLException {
            Map<String, Integer> retries = new TreeMap<>();
            connection.setAutoCommit(true);
            try {
                while (true) {
                    try {
                        int outcome;
                        if (family == Family.POSTGRESQL) {
                            procedure.registerOutParameter(1, Types.INTEGER);
                            procedure.setLong(2, from);
                            procedure.setLong(3, to);
                            procedure.setLong(4, gold);
                            procedure.execute();
                            outcome = procedure.getInt(1);
                        } else {
                            procedure.setLong(1, from);
                            procedure.setLong(2, to);
                            procedure.setLong(3, gold);
                            procedure.registerOutParameter(4, Types.INTEGER);
                            procedure.execute();
                            outcome = procedure.getInt(4);
                        }
                        return new Outcome(retries, switch (outcome) {
                            case 0 -> null;
                            case 1 -> "NOT_FOUND";
                            default -> "FAILED_PRECONDITION";
                        });
                    } catch (SQLException e) {
                        String cause = retryCause(e);
                        if (cause == null) {
                            return new Outcome(retries, "SQLSTATE_" + e.getSQLState());
                        }
                        retries.merge(cause, 1, Integer::sum);
                    }
                }
            } finally {
                connection.setAutoCommit(false);
            }
        }

        /** gold from a to b: lock both rows in id order, two UPDATEs, COMMIT; retried when the store gives up on it. */
        public Outcome transfer(long from, long to, long gold) throws SQLException {
            Map<String, Integer> retries = new TreeMap<>();
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
                    String cause = retryCause(e);
                    if (cause == null) {
                        return new Outcome(retries, "SQLSTATE_" + e.getSQLState());
                    }
                    retries.merge(cause, 1, Integer::sum);
                }
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** Why the store gave up on a transaction that a retry can fix, named as state-service names it; null when it cannot. */
    static String retryCause(SQLException e) {
        if ("40P01".equals(e.getSQLState()) || e.getErrorCode() == 1213) {
            return "deadlock";
        }
        if ("40001".equals(e.getSQLState())) {
            return "serialization failure";
        }
        return e.getErrorCode() == 1205 ? "lock wait timeout" : null;
    }
}
