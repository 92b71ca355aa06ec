package io.gamestate.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The kustomizations under k8s/, rendered offline with {@code kubectl kustomize} exactly as a
 * studio's {@code kubectl apply -k} would build them. Surefire runs in the module directory, k8s/.
 */
final class Kustomizations {

    static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();

    private Kustomizations() {
    }

    /** Every directory with a kustomization.yaml, so a new overlay is checked without being listed. */
    static List<Path> all() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(file -> file.getFileName().toString().equals("kustomization.yaml"))
                    .map(Path::getParent)
                    .filter(dir -> !dir.startsWith(ROOT.resolve("target")) && !dir.startsWith(ROOT.resolve("src")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + ROOT, e);
        }
    }

    static Path dir(String relative) {
        return ROOT.resolve(relative);
    }

    static String name(Path dir) {
        return ROOT.relativize(dir).toString();
    }

    /** The rendered multi-document YAML; rendering fails the test with kubectl's message. */
    static String render(Path dir) {
        return RENDERED.computeIfAbsent(dir, Kustomizations::kubectlKustomize);
    }

    private static String kubectlKustomize(Path dir) {
        try {
            Path errors = Files.createTempFile("kustomize", ".err");
            Process kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectError(errors.toFile())
                    .start();
            String yaml = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + name(dir) + " failed: " + Files.readString(errors));
            }
            return yaml;
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is needed to render " + name(dir)
                    + " (.ci/run installs it: Debian package kubernetes-client)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
