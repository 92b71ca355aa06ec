package io.gamestate.devstack.faults;

import io.gamestate.devstack.EnumNames;
import io.gamestate.devstack.Durations;
import io.gamestate.devstack.Sleeps;
import io.gamestate.devstack.scorecard.NodeOutage;
import io.gamestate.devstack.transfers.BareStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code faults}: a fault scenario end to end. Starts a multi-node store of its own and
 * state-service processes on different nodes of it, plays the fault load ({@link FaultLoad})
 * through all of them while the {@link Nemesis} injects each fault in turn (held, undone, then
 * a recovery time under load), records the client's {@link History}, and ends in the
 * {@link Checker}. Exit code 1 on any violation.
 */
@Command(name = "faults", showDefaultValues = true,
        description = "Run a fault scenario on a multi-node store of its own, under the fault load, and check it.")
public class FaultsCommand implements Callable<Integer> {

    /** The multi-node topologies. */
    enum Topology {
        GALERA;

        @Override
        public String toString() {
            return EnumNames.of(this);
        }

        static final class Named extends EnumNames<Topology> {
            Named() {
                super(Topology.class, "topology");
            }
        }
    }

    /** A fault and whom it hurts: {@code kill-node:2}. */
    record Planned(Nemesis.Kind kind, int target) {
        static final class Parsed implements ITypeConverter<Planned> {
            @Override
            public Planned convert(String value) {
                String[] f = value.split(":");
                Nemesis.Kind kind = new Nemesis.Kind.Named().convert(f[0]);
                return new Planned(kind, f.length > 1 ? Integer.parseInt(f[1]) : 2);
            }
        }
    }

    @Option(names = "--store", defaultValue = "galera", converter = Topology.Named.class, description = "Topology: ${COMPLETION-CANDIDATES}.")
    Topology store;

    @Option(names = "--nodes", defaultValue = "3", description = "Store nodes.")
    int nodes;

    @Option(names = "--base-port", defaultValue = "13400", description = "The store's ports start here (see the galera command).")
    int basePort;

    @Option(names = "--data", paramLabel = "<dir>", defaultValue = "/tmp/gamestate-galera-faults", description = "The nodes' data (recreated).")
    Path data;

    @Option(names = "--database", defaultValue = "gamestate_galera_faults", description = "The suite's database on the store.")
    String database;

    @Option(names = "--state-services", defaultValue = "3", description = "state-service processes, process i on node i (round robin).")
    int stateServices;

    @Option(names = "--state-first-port", defaultValue = "13101", description = "gRPC port of state-service 1; the others follow.")
    int stateFirstPort;

    /** Each state-service's HTTP port (health, metrics): its gRPC port plus this. */
    static final int HTTP_PORT_OFFSET = 100;

    @Option(names = "--suite-dir", paramLabel = "<dir>", defaultValue = ".",
            description = "The suite's checkout: state-service's jar, built with the store family's profile.")
    Path suiteDirectory;

    @Option(names = "--faults", split = ",", converter = Planned.Parsed.class,
            defaultValue = "kill-node:2,pause-node:3,partition-node:3,kill-state-service:1",
            description = "Faults in order, each fault:target (a node, or a state-service for kill-state-service): "
                    + "kill-node, pause-node, partition-node, kill-state-service.")
    List<Planned> faults;

    @Option(names = "--hold", defaultValue = "8s", converter = Durations.class, description = "How long each fault is held before it is undone.")
    Duration hold;

    @Option(names = "--recovery", defaultValue = "12s", converter = Durations.class, description = "Load after each fault is undone, before the next.")
    Duration recovery;

    @Option(names = "--warmup", defaultValue = "10s", converter = Durations.class, description = "Load before the first fault.")
    Duration warmup;

    @Option(names = "--players", defaultValue = "500", description = "Players of the game mix's world.")
    int players;

    @Option(names = "--hot-players", defaultValue = "20", description = "Players of the contended trades and item moves.")
    int hotPlayers;

    @Option(names = "--in-flight", defaultValue = "16", description = "Calls in flight over all state-services.")
    int inFlight;

    @Option(names = "--deadline", defaultValue = "5s", converter = Durations.class, description = "Deadline of each call.")
    Duration deadline;

    @Option(names = "--scorecard-dir", paramLabel = "<dir>",
            description = "Also write the run as the store's node-outage scenario in this scorecard directory (scorecard-report).")
    Path scorecardDirectory;

    @Option(names = "--out", paramLabel = "<dir>", defaultValue = "target/faults", description = "History and checker report go to <dir>/<store>/.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path directory = out.resolve(store.toString());
        Files.createDirectories(directory);
        Duration restartTimeout = Duration.ofMinutes(3);
        System.out.printf("==> starting %s with %d nodes%n", store, nodes);
        Cluster cluster = startCluster();
        Services services = new Services();
        // Ctrl-C or SIGTERM mid-run still stops the nodes and services and removes the namespaces.
        Thread stop = new Thread(() -> stop(services, cluster));
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            for (int i = 1; i <= stateServices; i++) {
                int node = (i - 1) % cluster.size() + 1;
                services.list.add(new ServiceProcess("state-service-" + i,
                        suiteDirectory.resolve("state-service/target/quarkus-app/quarkus-run.jar"),
                        List.of("-Xmx384m", "-Dquarkus.profile=" + (cluster.family() == BareStore.Family.MYSQL ? "mysql" : "prod")),
                        Map.of("GAMESTATE_DB_HOST", cluster.host(node), "GAMESTATE_DB_PORT", Integer.toString(cluster.port(node)),
                                "GAMESTATE_DB_NAME", database, "STATE_PORT", Integer.toString(stateFirstPort + i - 1),
                                "STATE_HTTP_PORT", Integer.toString(stateFirstPort + HTTP_PORT_OFFSET + i - 1),
                                "GAMESTATE_DB_MULTI_PRIMARY", Boolean.toString(store == Topology.GALERA), "QUARKUS_OTEL_SDK_DISABLED", "true"),
                        stateFirstPort + HTTP_PORT_OFFSET + i - 1, directory.resolve("state-service-" + i + ".log")));
            }
            services.startAll(restartTimeout);
            List<String> endpoints = new ArrayList<>();
            for (int i = 1; i <= stateServices; i++) {
                endpoints.add("127.0.0.1:" + (stateFirstPort + i - 1));
                System.out.printf("    state-service %d on 127.0.0.1:%d, store node %d (%s:%d)%n", i, stateFirstPort + i - 1,
                        (i - 1) % cluster.size() + 1, cluster.host((i - 1) % cluster.size() + 1), cluster.port((i - 1) % cluster.size() + 1));
            }
            BareStore checkedStore = cluster.store(1, database);
            Path historyFile = directory.resolve("history.tsv");
            Nemesis nemesis = new Nemesis(cluster, services.list, restartTimeout);
            Instant startedAt = Instant.now();
            long loadStart;
            try (History history = new History(historyFile); RecordingClient client = new RecordingClient(endpoints, deadline, history)) {
                FaultLoad load = FaultLoad.spawn(client.services().get(0), players, hotPlayers, 3);
                history.totals(Checker.totals(checkedStore));
                AtomicBoolean going = new AtomicBoolean(true);
                loadStart = System.currentTimeMillis();
                System.out.printf("==> fault load: %d in flight over %d state-services; %s of load before the first fault%n", inFlight,
                        stateServices, warmup);
                CompletableFuture<Void> running = CompletableFuture.runAsync(() -> load.run(client, inFlight, 8, going::get));
                try {
                    Sleeps.sleep(warmup);
                    for (Planned planned : faults) {
                        history.fault(nemesis.inject(planned.kind(), planned.target(), hold));
                        Sleeps.sleep(recovery);
                        cluster.awaitServing(restartTimeout);
                    }
                } finally {
                    going.set(false);
                    running.join();
                }
            }
            System.out.println("==> checker");
            Checker.Report report;
            History.Recorded recorded = History.read(historyFile);
            try (RecordingClient resender = new RecordingClient(endpoints, Duration.ofSeconds(20), null)) {
                report = new Checker(checkedStore, resender.services()).check(recorded);
            }
            CheckCommand.print(report);
            CheckCommand.write(report, directory.resolve("checker.json"));
            if (scorecardDirectory != null) {
                Path written = NodeOutage.write(scorecardDirectory, store.toString(), checkedStore,
                        "http://127.0.0.1:" + (stateFirstPort + HTTP_PORT_OFFSET), Map.of("nodes", nodes, "stateServices", stateServices,
                                "faults", faults.stream().map(f -> f.kind() + ":" + f.target()).toList(), "hold", hold.toString(),
                                "recovery", recovery.toString(), "players", players, "inFlight", inFlight),
                        recorded, report, loadStart, startedAt);
                System.out.println("scorecard scenario written to " + written.toAbsolutePath());
            }
            System.out.println("history and report in " + directory.toAbsolutePath());
            return report.holds() ? 0 : 1;
        } finally {
            stop(services, cluster);
            Runtime.getRuntime().removeShutdownHook(stop);
        }
    }

    /** Services first (they hold connections to the nodes), then the store; twice is harmless. */
    private static void stop(Services services, Cluster cluster) {
        services.close();
        try {
            cluster.close();
        } catch (IOException e) {
            System.err.println("stopping the store: " + e);
        }
    }

    private Cluster startCluster() throws IOException {
        return switch (store) {
            case GALERA -> GaleraCluster.start(nodes, basePort, data, database, NetworkNamespaces.available());
        };
    }

    /** The state-service processes: the first alone (it migrates the schema and creates the world), then the rest together. */
    private static final class Services implements AutoCloseable {
        final List<ServiceProcess> list = new ArrayList<>();

        void startAll(Duration timeout) throws Exception {
            list.get(0).start(timeout);
            List<CompletableFuture<Void>> rest = new ArrayList<>();
            for (ServiceProcess s : list.subList(1, list.size())) {
                rest.add(CompletableFuture.runAsync(() -> {
                    try {
                        s.start(timeout);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).join();
        }

        @Override
        public void close() {
            list.forEach(ServiceProcess::close);
        }
    }
}
