package io.gamestate.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The objects of one or more rendered kustomizations applied together (a store overlay plus
 * k8s/observability, say), and what Kubernetes would make of a container in them: its
 * environment with ConfigMap and Secret references resolved, and the configuration file mounted
 * for Quarkus.
 */
final class RenderedSuite {

    /** Where the images' working directory (/deployments) has Quarkus look for config/application.properties. */
    static final String CONFIG_DIR = "/deployments/config";
    static final String CONFIG_FILE = "application.properties";
    /** Images built from this repository; the module is the image's last path segment. */
    static final String IMAGE_PREFIX = "gamestate/";

    private final String name;
    private final List<HasMetadata> objects;

    private RenderedSuite(String name, List<HasMetadata> objects) {
        this.name = name;
        this.objects = objects;
    }

    /** The kustomizations rendered and read together; schema violations are KubernetesSchemaTest's to report. */
    static RenderedSuite of(String... kustomizations) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String kustomization : kustomizations) {
            objects.addAll(KubernetesSchema.read(Kustomizations.render(Kustomizations.dir(kustomization))).objects());
        }
        return new RenderedSuite(String.join(" + ", kustomizations), objects);
    }

    String name() {
        return name;
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> kind, String objectName) {
        return all(kind).stream().filter(o -> o.getMetadata().getName().equals(objectName)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " has no " + kind.getSimpleName() + " " + objectName));
    }

    /** The pod templates that run this repository's service images, by kind/name. */
    Map<String, PodSpec> serviceWorkloads() {
        Map<String, PodSpec> workloads = new LinkedHashMap<>();
        all(Deployment.class).forEach(d -> workloads.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        all(Job.class).forEach(j -> workloads.put("Job/" + j.getMetadata().getName(), j.getSpec().getTemplate().getSpec()));
        workloads.values().removeIf(pod -> pod.getContainers().stream().noneMatch(c -> module(c).isPresent()));
        return workloads;
    }

    /** The repository module a container runs (gamestate/state-service:tag -> state-service), if it is one of ours. */
    static Optional<String> module(Container container) {
        String image = container.getImage();
        if (!image.startsWith(IMAGE_PREFIX)) {
            return Optional.empty();
        }
        String repository = image.substring(IMAGE_PREFIX.length()).replaceFirst(":.*$", "");
        return ServiceModule.exists(repository) ? Optional.of(repository) : Optional.empty();
    }

    static Container onlyContainer(PodSpec pod) {
        if (pod.getContainers().size() != 1) {
            throw new AssertionError("expected one container, found " + pod.getContainers().size());
        }
        return pod.getContainers().get(0);
    }

    /** The environment the container gets: optional references to absent objects or keys are left out, as Kubernetes does. */
    Map<String, String> environment(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        if (container.getEnvFrom() != null && !container.getEnvFrom().isEmpty()) {
            throw new AssertionError(container.getName() + ": envFrom hides which keys are set; list them under env");
        }
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValueFrom() == null) {
                env.put(variable.getName(), variable.getValue() == null ? "" : variable.getValue());
            } else if (variable.getValueFrom().getConfigMapKeyRef() != null) {
                configMapValue(variable.getValueFrom().getConfigMapKeyRef()).ifPresent(v -> env.put(variable.getName(), v));
            } else if (variable.getValueFrom().getSecretKeyRef() != null) {
                secretValue(variable.getValueFrom().getSecretKeyRef()).ifPresent(v -> env.put(variable.getName(), v));
            } else {
                throw new AssertionError(variable.getName() + ": only literal, ConfigMap and Secret values are checked");
            }
        }
        return env;
    }

    /** The application.properties mounted at /deployments/config, or empty when none is. */
    String configFile(PodSpec pod, Container container) {
        return container.getVolumeMounts().stream()
                .filter(mount -> mount.getMountPath().equals(CONFIG_DIR))
                .map(mount -> pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError("no volume " + mount.getName())))
                .map(Volume::getConfigMap)
                .map(source -> named(ConfigMap.class, source.getName()).getData().get(CONFIG_FILE))
                .findFirst()
                .orElse("");
    }

    static int containerPort(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + port.getStrVal()));
    }

    private Optional<String> configMapValue(ConfigMapKeySelector ref) {
        Optional<String> value = all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(ref.getName()))
                .findFirst().map(c -> c.getData().get(ref.getKey()));
        if (value.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
            throw new AssertionError(name + ": no ConfigMap key " + ref.getName() + "/" + ref.getKey());
        }
        return value;
    }

    private Optional<String> secretValue(SecretKeySelector ref) {
        Optional<String> value = all(Secret.class).stream().filter(s -> s.getMetadata().getName().equals(ref.getName()))
                .findFirst().map(s -> s.getData().get(ref.getKey()))
                .map(encoded -> new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
        if (value.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
            throw new AssertionError(name + ": no Secret key " + ref.getName() + "/" + ref.getKey());
        }
        return value;
    }
}
