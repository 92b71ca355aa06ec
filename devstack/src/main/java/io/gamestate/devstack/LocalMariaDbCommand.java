package io.gamestate.devstack;

import io.gamestate.common.servers.LocalMariaDb;
import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A MariaDB server of its own from the machine's binaries, writing a row binlog: the MySQL-family
 * store the scorecard can measure log capture on (the machine's shared server writes none).
 */
@Command(name = "mariadb", showDefaultValues = true,
        description = "Run a MariaDB server of its own (fresh data directory, row binlog, user root) until stopped.")
public class LocalMariaDbCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(LocalMariaDbCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "13306", description = "Port on 127.0.0.1.")
    int port;

    @Option(names = "--database", defaultValue = "gamestate", description = "Database to create.")
    String database;

    @Option(names = "--data", paramLabel = "<dir>", defaultValue = "target/mariadb-local",
            description = "Data directory (emptied at start, deleted at stop).")
    Path dataDirectory;

    @Override
    public Integer call() {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new ParameterException(spec.commandLine(), "--database must be a plain lower-case identifier: " + database);
        }
        // Settings of a production server: a row binlog (replicas, point-in-time recovery, log capture).
        try (LocalMariaDb db = LocalMariaDb.start(dataDirectory, port, database, List.of("--log-bin=binlog",
                "--binlog-format=ROW", "--server-id=1", "--max-connections=300", "--innodb-buffer-pool-size=256M"))) {
            LOG.infof("MariaDB ready on 127.0.0.1:%d, database %s, user root, row binlog", port, database);
            Quarkus.waitForExit();
        }
        return 0;
    }
}
