package io.gamestate.k8s;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The keys of a packaged service's {@code @ConfigMapping} interfaces: the home of the suite's own
 * defaults, so a key set only by a deployment appears in no application.properties. Read from the
 * service's quarkus-app (its own jar, the suite's jars, and the mapping implementations Quarkus
 * generated at build) with SmallRye Config's own view of each mapping, in a class loader of their
 * own: the services' classes are not on this module's path.
 */
final class MappedConfig {

    private static final String SUITE_JAR_PREFIX = "io.gamestate.";

    private MappedConfig() {
    }

    static Set<String> keys(Path quarkusApp) {
        try {
            List<Path> jars = jars(quarkusApp);
            List<URL> urls = new ArrayList<>();
            for (Path jar : jars) {
                urls.add(jar.toUri().toURL());
            }
            try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
                return keys(loader, jars.stream().filter(MappedConfig::isSuiteJar).toList());
            }
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the configuration mappings of " + quarkusApp, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> keys(ClassLoader loader, List<Path> suiteJars) throws IOException, ReflectiveOperationException {
        Class<? extends Annotation> mapping = (Class<? extends Annotation>) loader.loadClass("io.smallrye.config.ConfigMapping");
        Class<?> configClass = loader.loadClass("io.smallrye.config.ConfigMappings$ConfigClass");
        Method properties = loader.loadClass("io.smallrye.config.ConfigMappings").getMethod("getProperties", configClass);
        Method prefix = mapping.getMethod("prefix");
        Set<String> keys = new TreeSet<>();
        for (Path jar : suiteJars) {
            for (String className : classNames(jar)) {
                Class<?> candidate;
                try {
                    candidate = Class.forName(className, false, loader);
                } catch (LinkageError | ClassNotFoundException e) {
                    continue; // not a mapping: mappings are plain interfaces that load on their own
                }
                Annotation declared = candidate.getAnnotation(mapping);
                if (declared != null) {
                    Object mapped = configClass.getConstructor(Class.class, String.class)
                            .newInstance(candidate, prefix.invoke(declared));
                    keys.addAll(((Map<String, ?>) properties.invoke(null, mapped)).keySet());
                }
            }
        }
        return keys;
    }

    private static List<Path> jars(Path quarkusApp) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String dir : List.of("app", "lib/boot", "lib/main", "quarkus")) {
            try (Stream<Path> files = Files.list(quarkusApp.resolve(dir))) {
                files.filter(p -> p.toString().endsWith(".jar")).forEach(jars::add);
            }
        }
        return jars;
    }

    /** The suite's libraries a packaged service carries (io.gamestate.* in lib/main). */
    static List<Path> suiteLibraries(Path quarkusApp) throws IOException {
        try (Stream<Path> files = Files.list(quarkusApp.resolve("lib/main"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(SUITE_JAR_PREFIX)).sorted().toList();
        }
    }

    /** The service's own jar (in app/) and the suite's libraries (io.gamestate.* in lib/main). */
    private static boolean isSuiteJar(Path jar) {
        return jar.getParent().getFileName().toString().equals("app") || jar.getFileName().toString().startsWith(SUITE_JAR_PREFIX);
    }

    private static List<String> classNames(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName())
                    .filter(name -> name.endsWith(".class") && !name.contains("$") && !name.equals("module-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
    }
}
