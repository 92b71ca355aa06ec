package io.gamestate.common.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A MariaDB Galera cluster of its own on 127.0.0.1: {@link LocalMariaDb} nodes with the Galera
 * provider, node 1 starting the cluster and each other node joining it by an rsync state
 * transfer. Needs Debian's {@code galera-4} and {@code rsync} (scripts/install-servers.sh installs
 * them). {@link #close()} stops every node and deletes its data.
 */
public final class LocalGalera implements AutoCloseable {

    public static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");
    private static final long SYNC_TIMEOUT_SECONDS = 120;
    /** Root would run the joiner's rsync daemon as nobody, which cannot write the node's files. */
    private static final String SERVER_USER = "root".equals(System.getProperty("user.name")) ? "mysql" : System.getProperty("user.name");

    private final List<LocalMariaDb> nodes;

    private LocalGalera(List<LocalMariaDb> nodes) {
        this.nodes = nodes;
    }

    /** A fresh cluster of {@code size} nodes, every one synced, with the database created. */
    public static LocalGalera start(int size, String database) {
        if (!Files.exists(PROVIDER)) {
            throw new IllegalStateException("Galera's provider " + PROVIDER + " is missing: apt-get install galera-4 rsync"
                    + " (scripts/install-servers.sh does)");
        }
        List<int[]> ports = new ArrayList<>();
        for (int n = 0; n < size; n++) {
            ports.add(new int[] {LocalPostgres.freePort(), LocalPostgres.freePort(), LocalPostgres.freePort()});
        }
        String members = ports.stream().map(p -> "127.0.0.1:" + p[0]).collect(Collectors.joining(","));
        LocalGalera cluster = new LocalGalera(new ArrayList<>());
        try {
            for (int[] p : ports) {
                List<String> options = nodeOptions("own-galera", members, "127.0.0.1", p[0], p[1], p[2], "");
                if (cluster.nodes.isEmpty()) {
                    options.add("--wsrep-new-cluster");
                }
                LocalMariaDb node = LocalMariaDb.start(Files.createTempDirectory("own-galera-"), LocalPostgres.freePort(), database,
                        SERVER_USER, options);
                cluster.nodes.add(node);
                awaitSynced(node);
            }
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * The mariadbd options of a node of the suite's Galera clusters: row-based binary log and
     * {@code innodb_autoinc_lock_mode=2} (Galera's requirements), rsync state transfers, and
     * {@code wsrep_sync_wait=1}: a read waits until the node has applied every write set the
     * cluster committed before it, so the idempotency probe and the by-key lookups see a commit
     * made through another node. {@code members} lists every node's group-communication address.
     */
    public static List<String> nodeOptions(String cluster, String members, String address, int gcommPort, int istPort,
                                           int sstPort, String moreProviderOptions) {
        return new ArrayList<>(List.of("--binlog-format=ROW", "--default-storage-engine=InnoDB", "--innodb-autoinc-lock-mode=2",
                "--wsrep-on=ON", "--wsrep-provider=" + PROVIDER, "--wsrep-cluster-name=" + cluster,
                "--wsrep-cluster-address=gcomm://" + members, "--wsrep-node-address=" + address + ":" + gcommPort,
                "--wsrep-provider-options=gmcast.listen_addr=tcp://" + address + ":" + gcommPort
                        + ";ist.recv_addr=" + address + ":" + istPort + moreProviderOptions,
                "--wsrep-sst-method=rsync", "--wsrep-sst-receive-address=" + address + ":" + sstPort,
                "--wsrep-sync-wait=1"));
    }

    /** Node n, 1-based. */
    public LocalMariaDb node(int n) {
        return nodes.get(n - 1);
    }

    @Override
    public void close() {
        for (int n = nodes.size() - 1; n >= 0; n--) {
            nodes.get(n).close();
        }
    }

    /** The node says Synced: it is in the primary component and has applied what it was sent. */
    private static void awaitSynced(LocalMariaDb node) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SYNC_TIMEOUT_SECONDS);
        while (!node.sql("SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'").contains("Synced")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Galera node on port " + node.port() + " did not sync in " + SYNC_TIMEOUT_SECONDS + " s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
