package io.gamestate.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, from the machine's installed binaries
 * ({@code /usr/lib/postgresql/<version>/bin}): its own data directory and port, so a test can
 * kill and restart it without touching the shared server or other tests. Run as root (CI), the
 * server runs as the {@code postgres} user, since PostgreSQL refuses to run as root.
 */
public final class OwnPostgres implements AutoCloseable {

    private final Path bin;
    private final Path data;
    private final int port;
    private final Map<String, String> settings;

    private OwnPostgres(Path bin, Path data, int port, Map<String, String> settings) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.settings = settings;
    }

    /** A fresh cluster (trust auth, user postgres) on a free port, started, with the database created. */
    public static OwnPostgres start(String database) {
        return start(database, Map.of());
    }

    /** The same, with server settings of the test's own on every start (e.g. wal_level=logical). */
    public static OwnPostgres start(String database, Map<String, String> settings) {
        try {
            Path data = Files.createTempDirectory("own-postgres-");
            OwnPostgres pg = new OwnPostgres(installedBin(), data, freePort(), Map.copyOf(settings));
            pg.asServerUser("chown", "postgres", data.toString());
            pg.run(pg.bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
                    "--no-sync", "-E", "UTF8");
            pg.restart();
            pg.run(pg.bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(pg.port), "-U", "postgres",
                    "-qc", "CREATE DATABASE " + database);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Starts the server on its data directory (after {@link #kill()}, it recovers from its WAL). */
    public void restart() {
        StringBuilder options = new StringBuilder("-p " + port + " -c listen_addresses=127.0.0.1 -k " + data
                + " -c max_connections=100");
        settings.forEach((name, value) -> options.append(" -c ").append(name).append('=').append(value));
        run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w",
                "-t", "60", "-o", options.toString(), "start");
    }

    /** SIGKILL to the postmaster and every backend: a crash, as a machine loss would leave it. */
    public void kill() {
        long pid = postmasterPid();
        ProcessHandle.of(pid).ifPresent(postmaster -> {
            List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
            all.add(postmaster);
            all.forEach(ProcessHandle::destroyForcibly);
            all.forEach(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        });
    }

    @Override
    public void close() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("no running server in " + data, e);
        }
    }

    /** A server command, as the postgres user when this JVM runs as root. */
    private void run(String... command) {
        List<String> line = new ArrayList<>();
        if (isRoot()) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        exec(line);
    }

    private void asServerUser(String... command) {
        if (isRoot()) {
            exec(List.of(command));
        }
    }

    private void exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path installedBin() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.max(Comparator.comparing(p -> Integer.parseInt(p.getFileName().toString())))
                    .map(p -> p.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
