package io.gamestate.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service module of this repository as the manifests run it: its packaged jar and its declared configuration. */
record ServiceModule(String name, DeclaredConfig declared) {

    private static final String HTTP_PORT_KEY = "quarkus.http.port";
    private static final String GRPC_PORT_KEY = "quarkus.grpc.server.port";
    private static final String SEPARATE_GRPC_SERVER_KEY = "quarkus.grpc.server.use-separate-server";
    private static final String SHARED_DEFAULTS = "META-INF/microprofile-config.properties";
    private static final Pattern PORT_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[0-9]+)?}");

    static boolean exists(String module) {
        return Files.exists(applicationProperties(module));
    }

    static ServiceModule of(String module) {
        try {
            // The defaults of the suite's libraries it packs (gamestate-common, gamestate-store) first;
            // the service's own file overrides them.
            return new ServiceModule(module, DeclaredConfig.parse(sharedDefaults(module) + "\n"
                    + Files.readString(applicationProperties(module)), MappedConfig.keys(quarkusApp(module))));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + applicationProperties(module), e);
        }
    }

    /** The jar the reactor packaged before this module (the image copies the same quarkus-app directory). */
    Path jar() {
        return quarkusApp(name).resolve("quarkus-run.jar");
    }

    /** The port of its HTTP server (health, metrics; the GLS's players), given the container's environment. */
    int httpPort(Map<String, String> environment) {
        return Integer.parseInt(declared.resolve(HTTP_PORT_KEY, environment));
    }

    /** The port its gRPC calls arrive on: a server of its own, or the HTTP server's. */
    int grpcPort(Map<String, String> environment) {
        return separateGrpcServer() ? Integer.parseInt(declared.resolve(GRPC_PORT_KEY, environment)) : httpPort(environment);
    }

    /** The environment variable that sets the HTTP port, e.g. STATE_HTTP_PORT for ${STATE_HTTP_PORT:9111}. */
    String httpPortVariable() {
        return portVariable(HTTP_PORT_KEY);
    }

    /** The environment variable that sets the gRPC port, e.g. STATE_PORT for ${STATE_PORT:9101}. */
    String grpcPortVariable() {
        return separateGrpcServer() ? portVariable(GRPC_PORT_KEY) : httpPortVariable();
    }

    private boolean separateGrpcServer() {
        return Boolean.parseBoolean(declared.values().getProperty(SEPARATE_GRPC_SERVER_KEY, "false"));
    }

    private String portVariable(String key) {
        String raw = declared.values().getProperty(key);
        Matcher placeholder = PORT_PLACEHOLDER.matcher(raw == null ? "" : raw);
        if (!placeholder.matches()) {
            throw new AssertionError(name + ": " + key + "=" + raw + " is not read from the environment");
        }
        return placeholder.group(1);
    }

    private static String sharedDefaults(String module) throws IOException {
        StringBuilder defaults = new StringBuilder();
        for (Path jar : MappedConfig.suiteLibraries(quarkusApp(module))) {
            try (JarFile file = new JarFile(jar.toFile())) {
                JarEntry entry = file.getJarEntry(SHARED_DEFAULTS);
                if (entry != null) {
                    defaults.append(new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8)).append('\n');
                }
            }
        }
        return defaults.toString();
    }

    private static Path quarkusApp(String module) {
        return Kustomizations.ROOT.resolveSibling(module).resolve("target/quarkus-app");
    }

    private static Path applicationProperties(String module) {
        return Kustomizations.ROOT.resolveSibling(module).resolve("src/main/resources/application.properties");
    }
}
