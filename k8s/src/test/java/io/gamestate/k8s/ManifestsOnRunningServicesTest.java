package io.gamestate.k8s;

import io.gamestate.common.testing.TestDatabases;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.gamestate.common.testing.JarProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The postgres overlay, with k8s/observability, run the way Kubernetes runs it: each container's
 * environment and mounted configuration file come from the rendered manifests, on the real
 * PostgreSQL at 127.0.0.1:5432 (database gamestate_k8s). Only the store's address, the Services'
 * DNS names and the ports are swapped for local ones. The rollout goes in the cluster's order:
 * the state-service replica starts first and waits, the migration Job migrates and exits, the
 * replica becomes ready, then query-service and the GLS. Every overlay's probes are then asked
 * of these running services, and every configuration key of every overlay is checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManifestsOnRunningServicesTest {

    private static final String RUN_OVERLAY = "overlays/postgres";
    private static final String DATABASE = "gamestate_k8s";
    private static final String BASE = "base";
    private static final String OBSERVABILITY = "observability";
    private static final Duration START = Duration.ofSeconds(90);
    /** Local gRPC and HTTP ports: the pods' own (9100-9112) may be taken by ./run.sh on this machine. */
    private static final Map<String, LocalPorts> LOCAL_PORTS = Map.of(
            "gls-service", new LocalPorts(9300, 9300), "state-service", new LocalPorts(9301, 9311),
            "query-service", new LocalPorts(9302, 9312));
    private static final LocalPorts MIGRATION_JOB_PORTS = new LocalPorts(9304, 9314);
    /** Where the store is from this machine; the keys must already be set by the manifests. */
    private static final Map<String, String> LOCAL_STORE = Map.of(
            "GAMESTATE_DB_HOST", "127.0.0.1",
            "GAMESTATE_DB_PORT", "5432",
            "GAMESTATE_DB_NAME", DATABASE,
            "QUARKUS_DATASOURCE_USERNAME", "postgres",
            "QUARKUS_DATASOURCE_PASSWORD", "");

    private final RenderedSuite runSuite = RenderedSuite.of(RUN_OVERLAY, OBSERVABILITY);
    private final Map<String, Started> processes = new LinkedHashMap<>();
    /** Per module, the keys of the ConfigMap file it started with and Quarkus did not warn about. */
    private final Map<String, Set<String>> verifiedFileKeys = new HashMap<>();

    private record Started(String module, JarProcess process, Set<String> fileKeys) {
    }

    private record LocalPorts(int grpc, int http) {
        Stream<Integer> both() {
            return Stream.of(grpc, http).distinct();
        }
    }

    @BeforeAll
    void rollOutAsTheClusterWould() {
        // A leftover process on one of these ports would answer the probes in our services' place.
        Stream.concat(LOCAL_PORTS.values().stream(), Stream.of(MIGRATION_JOB_PORTS)).flatMap(LocalPorts::both)
                .forEach(JarProcess::requireFreePort);
        resetDatabase();
        JarProcess state = startDeployment("state-service");
        state.awaitLogLine("waiting up to", START);
        runMigrationJob("state-migrate-first");
        state.awaitReady(START);
        runMigrationJob("state-migrate-again");
        startDeployment("query-service").awaitReady(START);
        startDeployment("gls-service").awaitReady(START);
        // Quarkus warns about file keys it does not know and fails on unknown keys under the
        // services' own prefixes (gamestate.*, gls.*): what started without a warning is accepted.
        processes.values().forEach(started -> {
            Set<String> accepted = new TreeSet<>(started.fileKeys());
            accepted.removeAll(started.process().unrecognizedConfigKeys());
            verifiedFileKeys.merge(started.module(), accepted, (a, b) -> {
                a.retainAll(b);
                return a;
            });
        });
    }

    @AfterAll
    void stopAll() {
        processes.values().forEach(started -> started.process().close());
    }

    @Test
    void theJobMigratesOnceAndTheReplicasNeverDo() {
        assertThat(log("state-migrate-first")).contains("Migrating schema", "exiting");
        assertThat(log("state-migrate-again")).contains("No migration necessary", "exiting");
        for (String replica : List.of("state-service", "query-service")) {
            assertThat(log(replica)).as(replica).doesNotContain("Migrating schema");
        }
    }

    @Test
    void everyProbeOfEveryOverlayIsServedOnTheNamedPort() {
        List<String> checked = new ArrayList<>();
        for (RenderedSuite suite : deployableSuites()) {
            for (Deployment deployment : suite.all(Deployment.class)) {
                PodSpec pod = deployment.getSpec().getTemplate().getSpec();
                for (Container container : pod.getContainers()) {
                    RenderedSuite.module(container).ifPresent(module -> {
                        String where = suite.name() + " Deployment/" + deployment.getMetadata().getName();
                        ServiceModule service = ServiceModule.of(module);
                        int http = service.httpPort(suite.environment(container));
                        Set<Integer> served = Set.copyOf(List.of(http, service.grpcPort(suite.environment(container))));
                        for (Probe probe : Stream.of(container.getStartupProbe(), container.getReadinessProbe(),
                                container.getLivenessProbe()).toList()) {
                            assertThat(probe).as(where + ": startup, readiness and liveness probes").isNotNull();
                            assertThat(probe.getHttpGet()).as(where + ": an HTTP probe").isNotNull();
                            assertThat(RenderedSuite.containerPort(container, probe.getHttpGet().getPort()))
                                    .as(where + ": the probe's port is the service's HTTP port").isEqualTo(http);
                            String path = probe.getHttpGet().getPath();
                            assertThat(JarProcess.httpStatus(LOCAL_PORTS.get(module).http(), path))
                                    .as(where + ": GET " + path + " on the running " + module).isEqualTo(200);
                            checked.add(where + " " + path);
                        }
                        assertServicesTargetTheServedPort(suite, deployment, container, served);
                    });
                }
            }
        }
        assertThat(checked).as("probes checked").hasSizeGreaterThanOrEqualTo(3 * 3 * 3);
    }

    @Test
    void everyConfigurationKeyTheManifestsSetIsOneTheServiceKnows() {
        List<String> problems = new ArrayList<>();
        for (RenderedSuite suite : deployableSuites()) {
            suite.serviceWorkloads().forEach((workload, pod) -> {
                Container container = RenderedSuite.onlyContainer(pod);
                String module = RenderedSuite.module(container).orElseThrow();
                DeclaredConfig declared = ServiceModule.of(module).declared();
                String where = suite.name() + " " + workload + ": ";
                suite.environment(container).forEach((name, value) -> {
                    String problem = declared.problemWithEnvironmentVariable(name, value);
                    if (problem != null) {
                        problems.add(where + "env " + name + " " + problem);
                    }
                });
                for (String key : DeclaredConfig.load(suite.configFile(pod, container)).stringPropertyNames()) {
                    if (!verifiedFileKeys.getOrDefault(module, Set.of()).contains(key)) {
                        problems.add(where + key + " in the ConfigMap file was not accepted by a running " + module);
                    }
                }
            });
        }
        assertThat(problems).isEmpty();
        assertThat(verifiedFileKeys).as("modules started with their ConfigMap file")
                .containsKeys("state-service", "query-service", "gls-service");
    }

    private void assertServicesTargetTheServedPort(RenderedSuite suite, Deployment deployment, Container container,
                                                   Set<Integer> served) {
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        List<Service> services = suite.all(Service.class).stream()
                .filter(s -> podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                .toList();
        assertThat(services).as(deployment.getMetadata().getName() + " has a Service").isNotEmpty();
        for (Service service : services) {
            for (ServicePort port : service.getSpec().getPorts()) {
                assertThat(RenderedSuite.containerPort(container, port.getTargetPort()))
                        .as("Service/" + service.getMetadata().getName() + " port " + port.getName()).isIn(served);
            }
        }
    }

    /** Every kustomization as applied beside k8s/observability; the base alone has no store to start on. */
    private static List<RenderedSuite> deployableSuites() {
        return Kustomizations.all().stream().map(Kustomizations::name)
                .filter(name -> !name.equals(BASE) && !name.equals(OBSERVABILITY))
                .map(name -> RenderedSuite.of(name, OBSERVABILITY)).toList();
    }

    private String log(String label) {
        return processes.get(label).process().log();
    }

    private JarProcess startDeployment(String module) {
        PodSpec pod = runSuite.named(Deployment.class, module).getSpec().getTemplate().getSpec();
        return start(module, pod, Map.of()).readyAt("http://127.0.0.1:" + LOCAL_PORTS.get(module).http() + "/q/health/ready");
    }

    private void runMigrationJob(String label) {
        PodSpec pod = runSuite.named(Job.class, "state-migrate").getSpec().getTemplate().getSpec();
        // The Job serves while it runs; in its pod the default ports are free, here they may not be.
        JarProcess job = start(label, pod, Map.of("STATE_PORT", Integer.toString(MIGRATION_JOB_PORTS.grpc()),
                "STATE_HTTP_PORT", Integer.toString(MIGRATION_JOB_PORTS.http())));
        assertThat(job.awaitExit(START)).as(label + " exit code; see " + job.logFile()).isZero();
    }

    /**
     * The container's jar started the way its container starts it: only the container's environment
     * (no variables of this JVM leak in) and the ConfigMap's file in config/ under the working
     * directory, where the image's /deployments/config mount puts it.
     */
    private JarProcess start(String label, PodSpec pod, Map<String, String> localOnly) {
        Container container = RenderedSuite.onlyContainer(pod);
        String module = RenderedSuite.module(container).orElseThrow();
        String configFile = runSuite.configFile(pod, container);
        Map<String, String> environment = localEnvironment(runSuite.environment(container));
        environment.putAll(localOnly);
        Path workDir = Kustomizations.ROOT.resolve("target/run").resolve(label);
        try {
            Files.createDirectories(workDir.resolve("config"));
            Files.writeString(workDir.resolve("config").resolve(RenderedSuite.CONFIG_FILE), configFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the ConfigMap file of " + label, e);
        }
        JarProcess process = new JarProcess(label, ServiceModule.of(module).jar())
                .onlyGivenEnvironment()
                .environment(environment)
                .workingDirectory(workDir)
                .launch();
        processes.put(label, new Started(module, process, DeclaredConfig.load(configFile).stringPropertyNames()));
        return process;
    }

    /** The container's environment with the store, the Services' names and the ports made local. */
    private Map<String, String> localEnvironment(Map<String, String> environment) {
        Map<String, String> local = new LinkedHashMap<>(environment);
        Set<String> serviceNames = Set.copyOf(runSuite.all(Service.class).stream().map(s -> s.getMetadata().getName()).toList());
        local.replaceAll((name, value) -> serviceNames.contains(value) ? "127.0.0.1" : value);
        LOCAL_PORTS.forEach((module, ports) -> {
            local.replace(ServiceModule.of(module).grpcPortVariable(), Integer.toString(ports.grpc()));
            local.replace(ServiceModule.of(module).httpPortVariable(), Integer.toString(ports.http()));
        });
        // Last: the store's user may share a Service's name (postgres).
        LOCAL_STORE.forEach(local::replace);
        return local;
    }

    private static void resetDatabase() {
        TestDatabases.ensure(TestDatabases.Server.POSTGRESQL, DATABASE);
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE");
            statement.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 with database " + DATABASE
                    + " (user postgres, trust) is needed; scripts/install-servers.sh starts it", e);
        }
    }
}
