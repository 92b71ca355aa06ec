package io.gamestate.devstack;

import io.quarkus.runtime.Quarkus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A real PostgreSQL 16 from Maven (zonky binaries): the no-set-up store of the main job. */
@Command(name = "postgres", showDefaultValues = true,
        description = "Run an embedded PostgreSQL 16 (fresh data directory, user postgres) until stopped.")
public class EmbeddedPostgresCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "15432", description = "Port on 127.0.0.1.")
    int port;

    @Option(names = "--database", defaultValue = "gamestate", description = "Database to create.")
    String database;

    @Option(names = "--data", paramLabel = "<dir>", defaultValue = "target/embedded-postgres",
            description = "Data directory (emptied at start).")
    Path dataDirectory;

    @Override
    public Integer call() throws Exception {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new ParameterException(spec.commandLine(), "--database must be a plain lower-case identifier: " + database);
        }
        Path data = dataDirectory.toAbsolutePath();
        deleteRecursively(data); // every run starts a fresh world, even after a killed run
        Files.createDirectories(data);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                .setServerConfig("max_connections", "200")
                // Durable commits, as the other stores run them (the embedded server's defaults are off).
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                // Logical decoding, so that query-service can follow the log (watch-source=log).
                .setServerConfig("wal_level", "logical")
                .start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                ResultSet exists = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
                if (!exists.next()) {
                    s.execute("CREATE DATABASE " + database);
                }
            }
            LOG.infof("embedded PostgreSQL ready on 127.0.0.1:%d, database %s, user postgres", port, database);
            Quarkus.waitForExit();
        }
        return 0;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
