package io.gamestate.common.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own from the machine's installed binaries
 * ({@code /usr/lib/postgresql/<version>/bin}): its own data directory and port, so a test or
 * devstack can kill, pause, stop, restart and promote it without touching the machine's shared server.
 * Run as root (CI), the server commands run as the {@code postgres} user, since PostgreSQL refuses
 * to run as root. A standby is a streaming hot standby made with {@code pg_basebackup -R -X stream}.
 */
public final class LocalPostgres implements AutoCloseable {

    private final Path bin;
    private final Path data;
    private final int port;
    private final List<String> settings;

    private LocalPostgres(Path bin, Path data, int port, List<String> settings) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.settings = List.copyOf(settings);
    }

    /** A fresh cluster (trust auth, user postgres) on a free port in a temporary directory, started, with the database created. */
    public static LocalPostgres startTemporary(String database) {
        return startTemporary(database, List.of());
    }

    /** The same with server settings of the caller's own ({@code name=value}, e.g. {@code wal_level=logical}) on every start. */
    public static LocalPostgres startTemporary(String database, List<String> settings) {
        try {
            List<String> all = new ArrayList<>(List.of("max_connections=100"));
            all.addAll(settings);
            LocalPostgres pg = initdb(Files.createTempDirectory("own-postgres-"), freePort(), all);
            pg.start();
            pg.createDatabase(database);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server of an existing data directory, e.g. one that devstack pg-replica started. */
    public static LocalPostgres existing(Path data, int port) {
        return new LocalPostgres(installedBin(), data.toAbsolutePath(), port, List.of());
    }

    /**
     * A fresh cluster in data (emptied first), not started. Settings are {@code name=value}
     * server settings given at every start ({@code -c}).
     */
    public static LocalPostgres initdb(Path data, int port, List<String> settings) {
        LocalPostgres pg = new LocalPostgres(installedBin(), emptied(data), port, settings);
        pg.run(pg.bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres", "--auth=trust",
                "--no-sync", "-E", "UTF8");
        return pg;
    }

    /**
     * A streaming hot standby of this running server in data (emptied first), not started:
     * {@code pg_basebackup -R} writes {@code standby.signal} and {@code primary_conninfo}, which
     * names the standby {@code applicationName} to the primary (what {@code synchronous_standby_names} lists).
     */
    public LocalPostgres standby(Path standbyData, int standbyPort, String applicationName, List<String> standbySettings) {
        LocalPostgres standby = new LocalPostgres(bin, emptied(standbyData), standbyPort, standbySettings);
        run(bin.resolve("pg_basebackup").toString(), "-d", "host=127.0.0.1 port=" + port + " user=postgres application_name="
                + applicationName, "-D", standby.data.toString(), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync");
        return standby;
    }

    public int port() {
        return port;
    }

    public Path data() {
        return data;
    }

    /** Starts the server on its data directory (after {@link #kill()}, it recovers from its WAL). */
    public void start() {
        try {
            if (!Files.exists(log())) {
                ownedByServer(Files.createFile(log()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-k",
                data.toString()));
        settings.forEach(s -> options.addAll(List.of("-c", s)));
        run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log().toString(), "-w",
                "-t", "120", "-o", String.join(" ", options), "start");
    }

    /** Ends a standby's recovery: it becomes a primary that takes writes ({@code pg_ctl promote}, waits until it does). */
    public void promote() {
        run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "120", "promote");
    }

    /** SIGKILL to the postmaster and every backend: a crash, as a machine loss would leave it. */
    public void kill() {
        if (!running()) {
            return;
        }
        ProcessHandle.of(pid()).ifPresent(postmaster -> {
            // The postmaster first, so it cannot notice its backends dying and reinitialize; its
            // backends are listed before, while they are still its children.
            List<ProcessHandle> all = new ArrayList<>(List.of(postmaster));
            all.addAll(postmaster.descendants().toList());
            all.forEach(ProcessHandle::destroyForcibly);
            all.forEach(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        });
    }

    /** SIGSTOP to the postmaster and every backend: a frozen server whose sockets stay open (a stalled machine, a long pause). */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    /** The postmaster first (it must get it), then its backends (one may end meanwhile). */
    private void signal(String signal) {
        long postmaster = pid();
        kill(signal, List.of(postmaster), true);
        kill(signal, ProcessHandle.of(postmaster).stream().flatMap(ProcessHandle::descendants).map(ProcessHandle::pid).toList(), false);
    }

    private static void kill(String signal, List<Long> pids, boolean mustReach) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        Commands.run(command, mustReach);
    }

    /** A clean shutdown ({@code pg_ctl stop -m fast}): sessions end, a checkpoint is written. */
    public void stop() {
        if (running()) {
            run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "120", "stop");
        }
    }

    /** The server's log, beside its data directory: a base backup would copy a log inside it to the standby. */
    public Path log() {
        return data.resolveSibling(data.getFileName() + ".log");
    }

    /** A postmaster runs on the data directory (a killed one leaves its pid file behind). */
    public boolean running() {
        return Files.exists(data.resolve("postmaster.pid")) && ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The postmaster's process id, from its pid file. */
    public long pid() {
        try {
            return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("no running server in " + data, e);
        }
    }

    public void createDatabase(String database) {
        psql("CREATE DATABASE " + database);
    }

    /** One statement through psql as user postgres; its output, unaligned and without headers. */
    public String psql(String sql) {
        return run(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
                "-XAtqc", sql).trim();
    }

    /** Stops the server at once if it runs and deletes its data directory. */
    @Override
    public void close() {
        if (running()) {
            run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
        }
        deleteRecursively(data);
        deleteRecursively(log());
    }

    /** A server command, as the postgres user when this JVM runs as root; its output. */
    private String run(String... command) {
        List<String> line = new ArrayList<>();
        if (isRoot()) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        return Commands.run(line);
    }

    /** The directory, empty, absolute and owned by the server's user. */
    private static Path emptied(Path dir) {
        try {
            Path data = dir.toAbsolutePath();
            deleteRecursively(data);
            Files.createDirectories(data);
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));  // the server refuses others
            return ownedByServer(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file or directory, handed to the server's user when this JVM runs as root. */
    private static Path ownedByServer(Path path) {
        if (!isRoot()) {
            return path;
        }
        Commands.run(List.of("chown", "postgres", path.toString()));
        return path;
    }

    /** Deletes a directory and everything in it, if it exists (LocalMariaDb's data too). */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path installedBin() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.max(Comparator.comparing(p -> Integer.parseInt(p.getFileName().toString())))
                    .map(p -> p.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql"));
        } catch (IOException e) {
            throw new UncheckedIOException("no PostgreSQL under /usr/lib/postgresql", e);
        }
    }

    /** A port nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
