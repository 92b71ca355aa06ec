package io.gamestate.devstack.transfers;

import io.gamestate.devstack.scorecard.WindowRecorder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The bare-store transfer of the PostgreSQL family as PostgreSQL's own load driver plays it:
 * pgbench with a script per shape, players drawn by its {@code random_zipfian}, its per-transaction
 * log read back into a {@link WindowRecorder}. pgbench names players by rank, so the players must
 * have consecutive ids in rank order (spawned in one run: the id allocator hands out blocks).
 */
public final class Pgbench {

    /** The plain SQL shape, the same statements as {@link BareStore.Transferor#transfer}, and the one-round-trip function. */
    public enum Shape {
        SQL("""
                BEGIN;
                SELECT gold FROM entity WHERE id IN (:a, :b) ORDER BY id FOR UPDATE;
                UPDATE entity SET gold = gold - 1 WHERE id = :a;
                UPDATE entity SET gold = gold + 1 WHERE id = :b;
                COMMIT;
                """),
        PROCEDURE("SELECT scorecard_transfer(:a, :b, 1);\n");

        final String statements;

        Shape(String statements) {
            this.statements = statements;
        }
    }

    private final BareStore store;

    public Pgbench(BareStore store) {
        this.store = store;
    }

    /** Whether pgbench is on the PATH (Debian's postgresql-client); the scorecard drives the store over JDBC without it. */
    public static boolean available() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "pgbench")));
    }

    /** Whether pgbench can draw pairs with this exponent: uniform, or its random_zipfian's range. */
    public static boolean draws(double alpha) {
        return alpha == 0 || (alpha >= 1.001 && alpha <= 1000);
    }

    /**
     * Runs the shape for warm-up plus measured time with {@code clients} connections; the
     * recorder holds the transactions that started after the warm-up.
     */
    public WindowRecorder run(Shape shape, long firstPlayerId, int players, double alpha, int clients, Duration warmup,
            Duration measured, Path workDirectory) throws IOException, InterruptedException {
        Files.createDirectories(workDirectory);
        Path script = workDirectory.resolve("transfer-" + shape.name().toLowerCase(Locale.ROOT) + ".sql");
        String draw = alpha == 0 ? "random(1, :players)" : String.format(Locale.ROOT, "random_zipfian(1, :players, %s)", alpha);
        Files.writeString(script, "\\set ra " + draw + "\n\\set rb " + draw + "\n"
                // The service draws again when both are the same player; pgbench cannot loop, so it takes the next rank.
                + "\\if :ra = :rb\n\\set rb (:rb % :players) + 1\n\\endif\n"
                + "\\set a :first + :ra - 1\n\\set b :first + :rb - 1\n" + shape.statements);
        Path logPrefix = workDirectory.resolve("pgbench-" + shape.name().toLowerCase(Locale.ROOT));
        try (Stream<Path> old = Files.list(workDirectory)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith(logPrefix.getFileName() + ".")).toList()) {
                Files.delete(p);
            }
        }
        long seconds = (warmup.plus(measured).toMillis() + 999) / 1000; // whole seconds, none of the window cut off
        List<String> command = List.of("pgbench", "-h", store.host(), "-p", Integer.toString(store.port()), "-U", store.user(),
                "-n", "-M", "prepared", "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)),
                "-T", Long.toString(seconds), "--max-tries=100", "--failures-detailed", "-l", "--log-prefix=" + logPrefix,
                "-D", "players=" + players, "-D", "first=" + firstPlayerId, "-f", script.toString(), store.database());
        long windowStartNanos = (System.currentTimeMillis() + warmup.toMillis()) * 1_000_000L;
        Process pgbench = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDirectory.resolve(logPrefix.getFileName() + ".out").toFile()).start();
        if (!pgbench.waitFor(seconds + 120, TimeUnit.SECONDS)) {
            pgbench.destroyForcibly();
            throw new IOException("pgbench did not finish; see " + workDirectory);
        }
        if (pgbench.exitValue() != 0) {
            throw new IOException("pgbench failed (exit " + pgbench.exitValue() + "): "
                    + Files.readString(workDirectory.resolve(logPrefix.getFileName() + ".out")));
        }
        WindowRecorder recorder = new WindowRecorder(windowStartNanos);
        List<Path> logs = new ArrayList<>();
        try (Stream<Path> files = Files.list(workDirectory)) {
            files.filter(p -> p.getFileName().toString().startsWith(logPrefix.getFileName() + ".")
                    && !p.getFileName().toString().endsWith(".out")).forEach(logs::add);
        }
        for (Path log : logs) {
            try (Stream<String> lines = Files.lines(log)) {
                lines.forEach(line -> record(recorder, line));
            }
        }
        return recorder;
    }

    /**
     * One line of pgbench's transaction log: client, transaction number, latency in microseconds
     * (or the kind of failure), script, completion time (epoch seconds, microseconds), retries.
     */
    private static void record(WindowRecorder recorder, String line) {
        String[] f = line.trim().split(" ");
        long end = (Long.parseLong(f[4]) * 1_000_000L + Long.parseLong(f[5])) * 1000L;
        boolean failed = !f[2].chars().allMatch(Character::isDigit);
        long latencyNanos = failed ? 0 : Long.parseLong(f[2]) * 1000L;
        long start = end - latencyNanos;
        recorder.call(start, end, 1);
        if (failed) {
            recorder.error(start, f[2].toUpperCase(Locale.ROOT));
        }
        int retries = Integer.parseInt(f[f.length - 1]);
        // pgbench retries serialization failures and deadlocks alike and logs only how many.
        recorder.retries(start, "serialization failure or deadlock", retries);
    }
}
