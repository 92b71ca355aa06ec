package io.gamestate.common.testing;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Creates a test's database on the machine's PostgreSQL or MariaDB when it is missing, so the
 * tests need nothing prepared by hand, only running servers (scripts/install-servers.sh). The
 * host follows {@code GAMESTATE_DB_HOST}, as the services' does; users are the servers' defaults
 * (postgres with trust auth, root with an empty password).
 */
public final class TestDatabases {

    public enum Server {
        POSTGRESQL, MARIADB
    }

    private TestDatabases() {
    }

    /** The server a {@code @QuarkusTest} runs on: MariaDB under the mysql test profile. */
    public static Server ofTestProfile() {
        return System.getProperty("quarkus.test.profile", "").contains("mysql") ? Server.MARIADB : Server.POSTGRESQL;
    }

    public static void ensure(Server server, String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("a test database name is a plain lower-case identifier: " + database);
        }
        String host = System.getenv().getOrDefault("GAMESTATE_DB_HOST", "127.0.0.1");
        try {
            if (server == Server.POSTGRESQL) {
                try (Connection c = connect("org.postgresql.Driver", "jdbc:postgresql://" + host + ":5432/postgres", "postgres");
                     PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                    exists.setString(1, database);
                    if (!exists.executeQuery().next()) {
                        createPostgres(c, database);
                    }
                }
            } else {
                try (Connection c = connect("org.mariadb.jdbc.Driver", "jdbc:mariadb://" + host + ":3306/", "root");
                     Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE IF NOT EXISTS " + database);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + database + " on " + server + " at " + host
                    + " (is the server running? scripts/install-servers.sh starts it)", e);
        }
    }

    /**
     * Through the driver itself, not DriverManager: under a Quarkus test class loader DriverManager
     * may not see a driver that is on the test's class path ("No suitable driver").
     */
    private static Connection connect(String driverClass, String url, String user) throws SQLException {
        try {
            Driver driver = (Driver) Class.forName(driverClass, true, TestDatabases.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
            Properties credentials = new Properties();
            credentials.setProperty("user", user);
            credentials.setProperty("password", "");
            return driver.connect(url, credentials);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("JDBC driver " + driverClass + " is not on the test class path", e);
        }
    }

    private static void createPostgres(Connection c, String database) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // created by another test JVM in between
                throw e;
            }
        }
    }
}
