package io.gamestate.k8s;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service jar started the way its container starts it: only the container's environment (no
 * variables of this JVM leak in) and the ConfigMap's file in config/ under the working
 * directory, where the image's /deployments/config mount puts it.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Pattern UNRECOGNIZED = Pattern.compile("Unrecognized configuration key \"(.+?)\" was provided");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String label;
    private final Process process;
    private final Path log;

    private ServiceProcess(String label, Process process, Path log) {
        this.label = label;
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(String label, ServiceModule module, Map<String, String> environment, String configFile) {
        try {
            Path workDir = Files.createDirectories(Kustomizations.ROOT.resolve("target/run").resolve(label));
            Files.createDirectories(workDir.resolve("config"));
            Files.writeString(workDir.resolve("config").resolve(RenderedSuite.CONFIG_FILE), configFile);
            Path log = workDir.resolve("service.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", module.jar().toString())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            return new ServiceProcess(label, builder.start(), log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + label, e);
        }
    }

    /** Waits until GET /q/health/ready answers 200 on the port. */
    void awaitReady(int port, Duration timeout) {
        awaitCondition(timeout, "ready on " + port, () -> get(port, "/q/health/ready") == 200);
    }

    void awaitLogLine(String text, Duration timeout) {
        awaitCondition(timeout, "a log line with \"" + text + "\"", () -> log().contains(text));
    }

    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(label + " did not exit within " + timeout + "; see " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The keys Quarkus warned it does not know (it ignores them). */
    Set<String> unrecognizedKeys() {
        return unrecognizedKeys(log());
    }

    static Set<String> unrecognizedKeys(String log) {
        Set<String> keys = new LinkedHashSet<>();
        Matcher warning = UNRECOGNIZED.matcher(log);
        while (warning.find()) {
            keys.add(warning.group(1));
        }
        return keys;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    Path logFile() {
        return log;
    }

    static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is taken (a process left from an earlier run?)", e);
        }
    }

    /** The status of GET path on the port, or -1 when nothing answers. */
    static int get(int port, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitCondition(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(label + " exited (" + process.exitValue() + ") before " + what + "; see " + log);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(label + " not " + what + " within " + timeout + "; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
