package io.gamestate.gls;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real state-service and query-service, started from the jars the reactor built before this
 * module, on the real PostgreSQL (database {@code gamestate_gls_test}); the GLS under test talks
 * to them over gRPC. Tests may stop and restart state-service to see the GLS ride it out.
 */
public class SuiteServices implements QuarkusTestResourceLifecycleManager {

    static final int STATE_PORT = 9201;
    static final int QUERY_PORT = 9202;
    static final String DATABASE = "gamestate_gls_test";

    private static Service state;
    private static Service query;

    @Override
    public Map<String, String> start() {
        state = new Service("state-service", STATE_PORT, "STATE_PORT");
        state.start();
        query = new Service("query-service", QUERY_PORT, "QUERY_PORT");
        query.start();
        // In tests Quarkus gRPC clients dial their test-port (by default the app's own test port).
        return Map.of("quarkus.grpc.clients.state.test-port", Integer.toString(STATE_PORT),
                "quarkus.grpc.clients.query.test-port", Integer.toString(QUERY_PORT));
    }

    @Override
    public void stop() {
        query.stop();
        state.stop();
    }

    static void stopStateService() {
        state.stop();
    }

    static void startStateService() {
        state.start();
    }

    /** One service as a child JVM, ready once its readiness probe says so. */
    private static final class Service {
        private final String name;
        private final int port;
        private final String portVariable;
        private Process process;

        Service(String name, int port, String portVariable) {
            this.name = name;
            this.port = port;
            this.portVariable = portVariable;
        }

        void start() {
            Path jar = Path.of("..", name, "target", "quarkus-app", "quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build from the root (./mvnw -B verify) so "
                        + name + " is packaged before gls-service is tested");
            }
            try {
                Path log = Path.of("target", name + ".log");
                Files.createDirectories(log.getParent());
                ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log.toString())));
                builder.environment().put(portVariable, Integer.toString(port));
                builder.environment().put("GAMESTATE_DB_NAME", DATABASE);
                process = builder.start();
                awaitReady(log);
            } catch (IOException e) {
                throw new IllegalStateException("could not start " + name, e);
            }
        }

        void stop() {
            if (process != null) {
                process.destroy();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                process = null;
            }
        }

        private void awaitReady(Path log) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited at start; see " + log.toAbsolutePath());
                }
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new IllegalStateException(name + " was not ready within 60 s; see " + log.toAbsolutePath());
        }
    }
}
