package io.gamestate.devstack.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code galera}: a MariaDB Galera cluster of its own ({@link GaleraCluster}) until stopped (SIGTERM
 * or Ctrl-C stops every node cleanly and removes the namespaces). Prints {@code galera ready} and
 * writes the nodes' addresses to {@code <data>/nodes} (host:port, one a line) once every node is synced.
 */
@Command(name = "galera", showDefaultValues = true,
        description = "Run a MariaDB Galera cluster (installs galera-4 and rsync when missing) until stopped.")
public class GaleraCommand implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "3", description = "Nodes of the cluster.")
    int nodes;

    @Option(names = "--base-port", defaultValue = "13300",
            description = "Node i listens for SQL on base + 10 i + 6 (13316, 13326, 13336), its Galera ports follow.")
    int basePort;

    @Option(names = "--data", paramLabel = "<dir>", defaultValue = "/tmp/gamestate-galera",
            description = "The nodes' data directories (recreated); mariadbd runs as user mysql, which must reach it.")
    Path data;

    @Option(names = "--database", defaultValue = "gamestate", description = "Database created on the cluster.")
    String database;

    @Option(names = "--namespaces", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Each node in its own network namespace (needs root), so the fault scenarios can partition it; else 127.0.0.1.")
    boolean namespaces;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        GaleraCluster cluster = GaleraCluster.start(nodes, basePort, data, database, namespaces && NetworkNamespaces.available());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } catch (Exception e) {
                System.err.println("stopping Galera: " + e);
            } finally {
                stopped.countDown();
            }
        }));
        String addresses = IntStream.rangeClosed(1, nodes).mapToObj(n -> cluster.host(n) + ":" + cluster.port(n))
                .collect(Collectors.joining("\n"));
        Files.writeString(data.resolve("nodes"), addresses + "\n");
        System.out.println("galera ready: " + nodes + " nodes, " + addresses.replace('\n', ' '));
        stopped.await();
        return 0;
    }
}
