package io.gamestate.devstack.faults;

import io.gamestate.devstack.Sleeps;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service of the suite as a child process the nemesis may kill: started from its jar, ready
 * when its readiness probe answers 200, SIGKILLed, started again (its log appended to).
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private final URI ready;
    private Process process;

    /** A service jar run with these JVM options, ready at http://127.0.0.1:httpPort/q/health/ready. */
    public ServiceProcess(String name, Path jar, List<String> jvmOptions, Map<String, String> environment, int httpPort, Path log) {
        this.name = name;
        this.command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        this.command.addAll(jvmOptions);
        this.command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        this.environment = environment;
        this.log = log;
        this.ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
    }

    public void start(Duration timeout) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException(name + (process.isAlive() ? " not ready in " + timeout : " exited") + "; see " + log);
            }
            Sleeps.sleep(Duration.ofMillis(500));
        }
    }

    private boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** SIGTERM (Quarkus stops gracefully), SIGKILL after 30 s. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
