package io.gamestate.devstack.faults;

import io.gamestate.common.servers.LocalGalera;
import io.gamestate.devstack.transfers.BareStore;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A MariaDB Galera cluster of its own: N {@code mariadbd} processes with the Galera provider
 * ({@code apt-get install galera-4 rsync}), each with its own data directory under {@code data},
 * and, as root, in its own network namespace ({@link NetworkNamespaces}) so it can be partitioned;
 * else all on 127.0.0.1. Node i's ports: SQL {@code basePort + 10 i + 6}, group communication
 * {@code + 7}, IST {@code + 8}, SST {@code + 9}. Node 1 bootstraps the cluster, the others join it
 * one at a time (state transfer by rsync). Root may log in over TCP with an empty password, as on
 * the machine's MariaDB.
 *
 * <p>Its nodes run with the settings the suite needs on Galera ({@link LocalGalera#nodeOptions}).
 */
public final class GaleraCluster implements Cluster {

    static final Duration JOIN_TIMEOUT = Duration.ofMinutes(3);
    /**
     * How long a silent peer may stay in the cluster's view: commits wait for it meanwhile. 3 s
     * instead of Galera's 5 s, so that the short fault scenario's 6-second cut shows the cluster
     * going on without the node rather than only stalling for the whole cut.
     */
    static final String SUSPECT_TIMEOUT = "PT3S";

    private final int nodes;
    private final int basePort;
    private final Path data;
    private final NetworkNamespaces network;
    private final Map<Integer, Process> processes = new HashMap<>();

    private GaleraCluster(int nodes, int basePort, Path data, NetworkNamespaces network) {
        this.nodes = nodes;
        this.basePort = basePort;
        this.data = data.toAbsolutePath();
        this.network = network;
    }

    /**
     * Installs galera-4 and rsync when missing, creates the nodes' data directories (fresh), starts
     * node 1 as a new cluster, creates the database, then starts and joins the others.
     */
    public static GaleraCluster start(int nodes, int basePort, Path data, String database, boolean namespaces) throws IOException {
        installPackages();
        NetworkNamespaces network = namespaces ? new NetworkNamespaces("gsg", "10.77.13.", "10.77.14.") : null;
        GaleraCluster cluster = new GaleraCluster(nodes, basePort, data, network);
        try {
            cluster.create(database);
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static void installPackages() throws IOException {
        if (Files.exists(LocalGalera.PROVIDER) && Files.exists(Path.of("/usr/bin/rsync"))) {
            return;
        }
        System.out.println("==> installing galera-4 and rsync (apt-get)");
        NetworkNamespaces.run("apt-get", "install", "-y", "-q", "galera-4", "rsync");
    }

    private void create(String database) throws IOException {
        deleteRecursively(data);
        for (int n = 1; n <= nodes; n++) {
            if (network != null) {
                network.add(n);
            }
            Files.createDirectories(dir(n));
            NetworkNamespaces.run("chown", "-R", "mysql:mysql", dir(n).toString());
            NetworkNamespaces.run("mariadb-install-db", "--no-defaults", "--user=mysql", "--datadir=" + dir(n).resolve("data"),
                    "--skip-test-db");
        }
        launch(1, true);
        awaitSynced(1, JOIN_TIMEOUT);
        sql(1, "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY ''; GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION; "
                + "CREATE DATABASE IF NOT EXISTS " + database);
        for (int n = 2; n <= nodes; n++) {
            launch(n, false);
            awaitSynced(n, JOIN_TIMEOUT);
        }
        awaitServing(JOIN_TIMEOUT);
    }

    private void launch(int n, boolean bootstrap) throws IOException {
        List<String> command = command(n);
        if (bootstrap) {
            command.add("--wsrep-new-cluster");
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(dir(n).resolve("stdout.log").toFile())).start();
        processes.put(n, p);
    }

    /** How node n runs: in its namespace, its own files and ports, the cluster's members and the settings above. */
    private List<String> command(int n) {
        List<String> command = new ArrayList<>(network == null ? List.of() : network.exec(n));
        String members = Stream.iterate(1, i -> i + 1).limit(nodes).map(i -> peer(i) + ":" + gcommPort(i))
                .collect(Collectors.joining(","));
        command.addAll(List.of("mariadbd", "--no-defaults", "--user=mysql",
                "--datadir=" + dir(n).resolve("data"), "--socket=" + socket(n), "--pid-file=" + dir(n).resolve("mariadbd.pid"),
                "--port=" + port(n), "--bind-address=" + host(n), "--log-error=" + dir(n).resolve("node.log"),
                "--max-connections=300", "--innodb-buffer-pool-size=128M", "--wsrep-node-name=node" + n));
        command.addAll(LocalGalera.nodeOptions("gamestate", members, peer(n), gcommPort(n), gcommPort(n) + 1, gcommPort(n) + 2,
                ";evs.suspect_timeout=" + SUSPECT_TIMEOUT));
        return command;
    }

    @Override
    public BareStore.Family family() {
        return BareStore.Family.MYSQL;
    }

    @Override
    public int size() {
        return nodes;
    }

    @Override
    public String host(int node) {
        return network == null ? "127.0.0.1" : network.clientAddress(node);
    }

    /** Where the other nodes reach node i. */
    private String peer(int node) {
        return network == null ? "127.0.0.1" : network.peerAddress(node);
    }

    @Override
    public int port(int node) {
        return basePort + 10 * node + 6;
    }

    private int gcommPort(int node) {
        return port(node) + 1;
    }

    private Path dir(int n) {
        return data.resolve("node" + n);
    }

    private Path socket(int n) {
        return dir(n).resolve("s.sock");
    }

    public long pid(int node) {
        return processes.get(node).pid();
    }

    @Override
    public void kill(int node) throws IOException {
        signal(node, "KILL");
        try {
            processes.get(node).waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void restart(int node, Duration timeout) throws IOException {
        // A killed node's grastate.dat holds no position: recover it from InnoDB first (what the
        // packaged galera_recovery does), so the node asks for the missing write sets (IST) instead
        // of a full copy (SST), whose rsync donor would block the cluster's writes meanwhile.
        List<String> recover = command(node);
        recover.addAll(List.of("--wsrep-recover", "--log-error=" + dir(node).resolve("recover.log")));
        Files.deleteIfExists(dir(node).resolve("recover.log"));
        try {
            Process p = new ProcessBuilder(recover).redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(dir(node).resolve("stdout.log").toFile())).start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Matcher recovered = Pattern.compile("Recovered position: (\\S+:-?\\d+)").matcher(Files.readString(dir(node).resolve("recover.log")));
        List<String> command = command(node);
        if (recovered.find()) {
            command.add("--wsrep-start-position=" + recovered.group(1));
        }
        processes.put(node, new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(dir(node).resolve("stdout.log").toFile())).start());
        awaitSynced(node, timeout);
    }

    @Override
    public void pause(int node) throws IOException {
        signal(node, "STOP");
    }

    @Override
    public void resume(int node) throws IOException {
        signal(node, "CONT");
    }

    @Override
    public void partition(int node) throws IOException {
        if (network == null) {
            throw new IOException("a partition needs the nodes in network namespaces (run as root)");
        }
        network.cut(node);
    }

    @Override
    public void heal(int node) throws IOException {
        network.heal(node);
    }

    private void signal(int node, String signal) throws IOException {
        NetworkNamespaces.run("kill", "-s", signal, Long.toString(pid(node)));
    }

    /** Every node synced, in one primary component of all of them. */
    @Override
    public void awaitServing(Duration timeout) throws IOException {
        for (int n = 1; n <= nodes; n++) {
            awaitSynced(n, timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!status(1).getOrDefault("wsrep_cluster_size", "").equals(Integer.toString(nodes))) {
            waitOrFail(deadline, "cluster size " + nodes + " (now " + status(1) + ")");
        }
    }

    /** The node says Synced and ready: it is in the primary component and has applied what it was sent. */
    private void awaitSynced(int n, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, String> status = status(n);
            if ("Synced".equals(status.get("wsrep_local_state_comment")) && "ON".equals(status.get("wsrep_ready"))) {
                return;
            }
            if (!processes.get(n).isAlive()) {
                throw new IOException("Galera node " + n + " exited; see " + dir(n).resolve("node.log"));
            }
            waitOrFail(deadline, "node " + n + " synced (now " + status + ")");
        }
    }

    private void waitOrFail(long deadline, String what) throws IOException {
        if (System.nanoTime() > deadline) {
            throw new IOException("timed out waiting for Galera " + what);
        }
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** wsrep status of node n over its socket; empty while it does not answer. */
    private Map<String, String> status(int n) {
        Map<String, String> out = new HashMap<>();
        try {
            Process p = new ProcessBuilder("mariadb", "--no-defaults", "-S", socket(n).toString(), "-uroot", "-N", "-B",
                    "--connect-timeout=2", "-e", "SHOW GLOBAL STATUS LIKE 'wsrep_%'").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes());
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                text.lines().map(l -> l.split("\t")).filter(f -> f.length == 2).forEach(f -> out.put(f[0], f[1]));
            }
        } catch (IOException e) {
            // not up yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private void sql(int n, String statements) throws IOException {
        NetworkNamespaces.run("mariadb", "--no-defaults", "-S", socket(n).toString(), "-uroot", "-e", statements);
    }

    /** SIGTERM to every node (a clean stop: each leaves the cluster), SIGKILL after a minute; then the namespaces go. */
    @Override
    public void close() throws IOException {
        for (Map.Entry<Integer, Process> e : processes.entrySet()) {
            if (e.getValue().isAlive()) {
                resumeQuietly(e.getKey());
                e.getValue().destroy();
            }
        }
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (network != null) {
            network.close();
        }
    }

    private void resumeQuietly(int node) {
        try {
            signal(node, "CONT"); // a paused node cannot act on SIGTERM
        } catch (IOException ignored) {
            // gone already
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
