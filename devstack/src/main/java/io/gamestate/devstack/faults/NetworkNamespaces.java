package io.gamestate.devstack.faults;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One network namespace per store node with two links: to its peers (a bridge of the nodes
 * alone) and to its clients (a bridge the root namespace's processes reach), each a veth pair. A
 * partition sets the node's peer link down, then up (this kernel has no netem and there is no
 * iptables: a cut is all or nothing): the node is cut off from the other nodes while its clients
 * still reach it and hear what a cut-off node says. Needs root. Names: {@code <prefix>p} and
 * {@code <prefix>c} the bridges, {@code <prefix>N} node N's namespace, {@code <prefix>N-p}/{@code -c}
 * the root ends of its links, {@code <prefix>N-pn}/{@code -cn} their ends inside; addresses
 * {@code <peers>.(10+N)} and {@code <clients>.(10+N)}, the clients' bridge {@code <clients>.1}.
 */
public final class NetworkNamespaces implements AutoCloseable {

    private final String prefix;
    private final String peers;
    private final String clients;
    private final List<Integer> nodes = new ArrayList<>();

    /** prefix: a few letters of one's own (gsg, gsr...); peers, clients: two subnets' first three octets, e.g. 10.77.13. */
    public NetworkNamespaces(String prefix, String peers, String clients) throws IOException {
        this.prefix = prefix;
        this.peers = peers;
        this.clients = clients;
        removeLeftovers();
        for (String bridge : List.of(prefix + "p", prefix + "c")) {
            run("ip", "link", "add", bridge, "type", "bridge");
            run("ip", "link", "set", bridge, "up");
        }
        run("ip", "addr", "add", clients + "1/24", "dev", prefix + "c");
    }

    /** Whether this process may create namespaces (root), so callers can fall back to loopback. */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Creates node n's namespace and its two links. */
    public void add(int n) throws IOException {
        String ns = namespace(n);
        run("ip", "netns", "add", ns);
        nodes.add(n);
        link(n, "p", peerAddress(n));
        link(n, "c", clientAddress(n));
        run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
    }

    private void link(int n, String kind, String address) throws IOException {
        String root = prefix + n + "-" + kind;
        String inside = root + "n";
        run("ip", "link", "add", root, "type", "veth", "peer", "name", inside);
        run("ip", "link", "set", inside, "netns", namespace(n));
        run("ip", "link", "set", root, "master", prefix + kind);
        run("ip", "link", "set", root, "up");
        run("ip", "netns", "exec", namespace(n), "ip", "addr", "add", address + "/24", "dev", inside);
        run("ip", "netns", "exec", namespace(n), "ip", "link", "set", inside, "up");
    }

    /** Node n's address towards the other nodes. */
    public String peerAddress(int n) {
        return peers + (10 + n);
    }

    /** Node n's address towards its clients (the root namespace). */
    public String clientAddress(int n) {
        return clients + (10 + n);
    }

    public String namespace(int n) {
        return prefix + n;
    }

    /** The command prefix that runs a program inside node n's namespace. */
    public List<String> exec(int n) {
        return List.of("ip", "netns", "exec", namespace(n));
    }

    /** Node n cut off from the other nodes: its peer link down. */
    public void cut(int n) throws IOException {
        run("ip", "link", "set", prefix + n + "-p", "down");
    }

    public void heal(int n) throws IOException {
        run("ip", "link", "set", prefix + n + "-p", "up");
    }

    @Override
    public void close() throws IOException {
        for (int n : nodes) {
            runQuietly("ip", "link", "del", prefix + n + "-p");
            runQuietly("ip", "link", "del", prefix + n + "-c");
            runQuietly("ip", "netns", "del", namespace(n));
        }
        runQuietly("ip", "link", "del", prefix + "p");
        runQuietly("ip", "link", "del", prefix + "c");
    }

    /** What a run killed before it could clean up: our bridge, namespaces and veths only (by our prefix). */
    private void removeLeftovers() throws IOException {
        for (String line : output("ip", "netns", "list")) {
            String name = line.split(" ")[0];
            if (name.matches(prefix + "\\d+")) {
                runQuietly("ip", "netns", "del", name);
            }
        }
        for (String line : output("ip", "-o", "link", "show")) {
            String[] f = line.split(":\\s+");
            if (f.length > 1) {
                String name = f[1].split("@")[0];
                if (name.matches(prefix + "[pc]") || name.matches(prefix + "\\d+-[pc]")) {
                    runQuietly("ip", "link", "del", name);
                }
            }
        }
    }

    static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static List<String> output(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lines;
    }
}
