package io.gamestate.common.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server of its own, from the machine's installed binaries ({@code
 * mariadb-install-db}, {@code mariadbd}): its own data directory and port, with options of its
 * own (e.g. a row binlog), so a test can kill it with SIGKILL and restart it without touching the
 * shared server, and devstack can run one for the scorecard. User root, empty password, from
 * 127.0.0.1. {@link #close()} stops it and deletes its data.
 */
public final class LocalMariaDb implements AutoCloseable {

    private final Path data;
    private final int port;
    private final String user;
    private final List<String> options;
    private Process server;

    private LocalMariaDb(Path data, int port, String user, List<String> options) {
        this.data = data;
        this.port = port;
        this.user = user;
        this.options = options;
    }

    /** A fresh server on a free port, in a temporary directory, started with the given mariadbd options, with the database created. */
    public static LocalMariaDb start(String database, String... options) {
        try {
            return start(Files.createTempDirectory("own-mariadb-"), LocalPostgres.freePort(), database, List.of(options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh server in data (emptied first) on the given port, started with the given mariadbd options, with the database created. */
    public static LocalMariaDb start(Path data, int port, String database, List<String> options) {
        return start(data, port, database, System.getProperty("user.name"), options);
    }

    /**
     * As {@link #start(Path, int, String, List)}, the server running as {@code user}: as root,
     * {@code mysql} for a Galera node, whose rsync state transfer runs a daemon that root would
     * run as nobody.
     */
    public static LocalMariaDb start(Path data, int port, String database, String user, List<String> options) {
        try {
            LocalPostgres.deleteRecursively(data);
            Files.createDirectories(data);
            LocalMariaDb db = new LocalMariaDb(data.toAbsolutePath(), port, user, options);
            Commands.run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + db.data, "--user=" + user,
                    "--auth-root-authentication-method=normal", "--skip-test-db"));
            db.restart();
            db.sql("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';"
                    + " GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
                    + " CREATE DATABASE IF NOT EXISTS " + database); // a Galera node joining a cluster has it already
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Starts the server on its data directory (after {@link #kill()}, it recovers from its logs). */
    public void restart() {
        List<String> command = new ArrayList<>(List.of("/usr/sbin/mariadbd", "--no-defaults", "--datadir=" + data,
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + data.resolve("mariadbd.sock"),
                "--pid-file=" + data.resolve("mariadbd.pid"), "--log-error=" + data.resolve("error.log"), "--user=" + user,
                "--innodb-buffer-pool-size=64M"));
        command.addAll(options);
        try {
            server = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(data.resolve("console.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!accepting()) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("mariadbd did not start on port " + port + ": see " + data.resolve("error.log"));
            }
            sleep(100);
        }
    }

    /** SIGKILL: a crash, as a machine loss would leave it. */
    public void kill() {
        server.destroyForcibly();
        server.onExit().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Statements run through the server's socket as root; their output. */
    public String sql(String statements) {
        return Commands.run(List.of("mariadb", "--no-defaults", "-uroot", "--socket=" + data.resolve("mariadbd.sock"), "-e", statements));
    }

    @Override
    public void close() {
        if (server != null && server.isAlive()) {
            kill();
        }
        LocalPostgres.deleteRecursively(data);
    }

    private boolean accepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return Files.exists(data.resolve("mariadbd.sock"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
