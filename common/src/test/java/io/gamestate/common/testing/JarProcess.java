package io.gamestate.common.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real server from its jar, as a child JVM for tests: a service of the suite the reactor built
 * before the module under test, or the trace backend. Its output goes to {@code target/<name>.log}
 * under the test's working directory, fresh for each JarProcess and appended to by a restart.
 * Configure it, then {@link #start()} (which waits for {@link #readyAt} when given) or
 * {@link #launch()} (which does not wait).
 */
public final class JarProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern UNRECOGNIZED_KEY = Pattern.compile("Unrecognized configuration key \"(.+?)\" was provided");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Path jar;
    private final Path log;
    private final List<String> arguments = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private boolean inheritEnvironment = true;
    private Path workingDirectory;
    private URI ready;
    private boolean launchedBefore;
    private Process process;

    public JarProcess(String name, Path jar) {
        this.name = name;
        this.jar = jar.toAbsolutePath();
        this.log = Path.of("target", name + ".log").toAbsolutePath();
    }

    /** A service of the suite, from {@code ../<module>/target/quarkus-app}, ready on its readiness probe at httpPort. */
    public static JarProcess service(String module, int httpPort, Map<String, String> environment) {
        return new JarProcess(module, Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar"))
                .environment(environment)
                .readyAt("http://127.0.0.1:" + httpPort + "/q/health/ready");
    }

    /**
     * state-service or query-service: gRPC on grpcPort, health and metrics on httpPort, given as
     * the variables the service reads ({@code STATE_PORT} and {@code STATE_HTTP_PORT}, or QUERY_).
     */
    public static JarProcess grpcService(String module, int grpcPort, int httpPort, Map<String, String> environment) {
        String prefix = module.substring(0, module.indexOf('-')).toUpperCase(java.util.Locale.ROOT);
        Map<String, String> ports = new LinkedHashMap<>(environment);
        ports.put(prefix + "_PORT", Integer.toString(grpcPort));
        ports.put(prefix + "_HTTP_PORT", Integer.toString(httpPort));
        return service(module, httpPort, ports);
    }

    public JarProcess arguments(String... more) {
        arguments.addAll(List.of(more));
        return this;
    }

    /** Variables added to the child's environment. */
    public JarProcess environment(Map<String, String> variables) {
        environment.putAll(variables);
        return this;
    }

    /** The child sees only the variables given here, none of this JVM's: the way a container starts. */
    public JarProcess onlyGivenEnvironment() {
        inheritEnvironment = false;
        return this;
    }

    public JarProcess workingDirectory(Path directory) {
        workingDirectory = directory;
        return this;
    }

    /** Ready once GET on this URL answers 200. */
    public JarProcess readyAt(String url) {
        ready = URI.create(url);
        return this;
    }

    /** Launches the process and, when it has a ready URL, waits up to 90 s until it is ready. */
    public JarProcess start() {
        launch();
        if (ready != null) {
            awaitReady(START_TIMEOUT);
        }
        return this;
    }

    /** Launches the process without waiting for it. */
    public JarProcess launch() {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build from the root (./mvnw -B verify) so "
                    + name + " is packaged before the module under test");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString()));
        command.addAll(arguments);
        // A restart appends, so a test that restarts a service keeps the log of both runs.
        Redirect output = launchedBefore ? Redirect.appendTo(log.toFile()) : Redirect.to(log.toFile());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        if (!inheritEnvironment) {
            builder.environment().clear();
        }
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
        launchedBefore = true;
        return this;
    }

    public void awaitReady(Duration timeout) {
        if (ready == null) {
            throw new IllegalStateException(name + " has no ready URL");
        }
        awaitWhileAlive(timeout, "ready at " + ready, () -> httpStatus(ready) == 200);
    }

    public void awaitLogLine(String text, Duration timeout) {
        awaitWhileAlive(timeout, "logging \"" + text + "\"", () -> log().contains(text));
    }

    /** Waits for the process to end by itself; its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + "; see " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything the process wrote so far (empty before its first launch). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    public Path logFile() {
        return log;
    }

    /** The configuration keys Quarkus warned it does not know (it ignores them). */
    public Set<String> unrecognizedConfigKeys() {
        return unrecognizedConfigKeys(log());
    }

    public static Set<String> unrecognizedConfigKeys(String log) {
        Set<String> keys = new LinkedHashSet<>();
        Matcher warning = UNRECOGNIZED_KEY.matcher(log);
        while (warning.find()) {
            keys.add(warning.group(1));
        }
        return keys;
    }

    /** Stops the process (SIGTERM, then SIGKILL after 20 s); it may be started again. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** Fails unless nothing listens on the port: a process left from an earlier run would answer in a new one's place. */
    public static void requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is taken (a process left from an earlier run?)", e);
        }
    }

    /** The status of GET path on 127.0.0.1:port, or -1 when nothing answers. */
    public static int httpStatus(int port, String path) {
        return httpStatus(URI.create("http://127.0.0.1:" + port + path));
    }

    private static int httpStatus(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitWhileAlive(Duration timeout, String what, Callable<Boolean> condition) {
        await(name + " " + what + " (log: " + log + ")")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .failFast(name + " exited before " + what + "; see " + log, () -> !process.isAlive())
                .until(condition);
    }
}
