package io.gamestate.devstack;

import io.quarkus.runtime.Quarkus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** A real PostgreSQL 16 from Maven (zonky binaries): the no-set-up store of the main job. */
@ApplicationScoped
public class EmbeddedPostgresCommand {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresCommand.class);

    int run(Options options) throws Exception {
        int port = options.number("port", 15432);
        String database = options.text("database", "gamestate");
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be a plain lower-case identifier: " + database);
        }
        Path data = Path.of(options.text("data", "target/embedded-postgres")).toAbsolutePath();
        deleteRecursively(data); // every run starts a fresh world, even after a killed run
        Files.createDirectories(data);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
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
