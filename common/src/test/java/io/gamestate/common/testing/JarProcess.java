package io.gamestate.common.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real server from its jar, as a child JVM for tests: a service of the suite the reactor built
 * before the module under test, or the trace backend. Ready once {@code readyUrl} answers 200;
 * its output goes to {@code target/<name>.log}.
 */
public final class JarProcess {

    private final String name;
    private final Path jar;
    private final List<String> arguments;
    private final Map<String, String> environment;
    private final URI ready;
    private Process process;

    public JarProcess(String name, Path jar, List<String> arguments, Map<String, String> environment, String readyUrl) {
        this.name = name;
        this.jar = jar;
        this.arguments = arguments;
        this.environment = environment;
        this.ready = URI.create(readyUrl);
    }

    /** A service of the suite, from {@code ../<module>/target/quarkus-app}, ready on its readiness probe. */
    public static JarProcess service(String module, int port, Map<String, String> environment) {
        return new JarProcess(module, Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar"), List.of(),
                environment, "http://127.0.0.1:" + port + "/q/health/ready");
    }

    public void start() {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build from the root (./mvnw -B verify) so "
                    + name + " is packaged before the module under test");
        }
        try {
            Path log = Path.of("target", name + ".log");
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-jar", jar.toString()));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log.toString())));
            builder.environment().putAll(environment);
            process = builder.start();
            awaitReady(log);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    public void stop() {
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
        HttpRequest probe = HttpRequest.newBuilder(ready).build();
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited at start; see " + log.toAbsolutePath());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep();
        }
        throw new IllegalStateException(name + " was not ready within 90 s; see " + log.toAbsolutePath());
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
