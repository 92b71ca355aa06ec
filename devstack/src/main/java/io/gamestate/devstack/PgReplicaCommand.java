package io.gamestate.devstack;

import io.gamestate.common.servers.LocalPostgres;
import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A PostgreSQL primary and a streaming hot standby of the machine's installed PostgreSQL, each
 * with its own data directory and port: the store of {@code ./run.sh --store=pg-replica}, where
 * query-service reads from the standby and the failover drill promotes it.
 */
@Command(name = "pg-replica", showDefaultValues = true,
        description = "Run a PostgreSQL primary and a streaming hot standby (installed PostgreSQL, fresh data directories) until stopped.")
public class PgReplicaCommand implements Callable<Integer> {

    /** The standby's name to the primary: what synchronous_standby_names lists. */
    public static final String STANDBY_NAME = "standby";

    private static final Logger LOG = Logger.getLogger(PgReplicaCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--primary-port", defaultValue = "14432", description = "The primary's port on 127.0.0.1.")
    int primaryPort;

    @Option(names = "--standby-port", defaultValue = "14433", description = "The standby's port on 127.0.0.1.")
    int standbyPort;

    @Option(names = "--database", defaultValue = "gamestate", description = "Database to create.")
    String database;

    @Option(names = "--data", paramLabel = "<dir>", defaultValue = "target/pg-replica",
            description = "Data directories <dir>/primary and <dir>/standby (emptied at start).")
    Path data;

    @Option(names = "--sync", description = "Synchronous replication: a commit is acknowledged once the standby has it "
            + "on disk (synchronous_standby_names on the primary, synchronous_commit=on), so a failover loses no acknowledged commit.")
    boolean sync;

    @Override
    public Integer call() {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new ParameterException(spec.commandLine(), "--database must be a plain lower-case identifier: " + database);
        }
        // The standby answers queries (hot_standby) and tells the primary which rows its queries
        // still read, so vacuum on the primary does not cancel them (hot_standby_feedback).
        List<String> settings = List.of("max_connections=200", "hot_standby_feedback=on");
        LocalPostgres primary = LocalPostgres.initdb(data.resolve("primary"), primaryPort, settings);
        List<LocalPostgres> started = new CopyOnWriteArrayList<>();
        // Stopped on any exit, also when stopped while still starting (a SIGTERM ends the JVM, not this method):
        // the standby first, so the primary's shutdown need not wait for it to receive the final WAL.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).stop();
            }
            LOG.info("pg-replica stopped");
        }));
        started.add(primary);
        primary.start();
        primary.createDatabase(database);
        LocalPostgres standby = primary.standby(data.resolve("standby"), standbyPort, STANDBY_NAME, settings);
        started.add(standby);
        standby.start();
        if (sync) {
            // On the primary alone (ALTER SYSTEM after the base backup): the promoted standby
            // must not wait for a standby of its own. A scenario may switch it off and on again.
            primary.psql("ALTER SYSTEM SET synchronous_standby_names = '" + STANDBY_NAME + "'");
            primary.psql("SELECT pg_reload_conf()");
        }
        awaitStreaming(primary);
        LOG.infof("pg-replica ready: primary 127.0.0.1:%d, standby 127.0.0.1:%d (%s replication), database %s, user postgres",
                primaryPort, standbyPort, sync ? "synchronous" : "asynchronous", database);
        Quarkus.waitForExit();
        return 0;
    }

    /** Until the primary reports the standby streaming (and synchronous when asked). */
    private void awaitStreaming(LocalPostgres primary) {
        String wanted = sync ? "streaming sync" : "streaming async";
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            String state = primary.psql("SELECT state || ' ' || sync_state FROM pg_stat_replication WHERE application_name = '"
                    + STANDBY_NAME + "'");
            if (state.equals(wanted)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the standby is not " + wanted + " two minutes after it started");
    }
}
