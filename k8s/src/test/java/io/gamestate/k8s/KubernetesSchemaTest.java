package io.gamestate.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kustomization renders offline and every object it renders is one the Kubernetes API accepts. */
class KubernetesSchemaTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: probe-typo
            spec:
              selector:
                matchLabels:
                  app: probe-typo
              template:
                metadata:
                  labels:
                    app: probe-typo
                spec:
                  containers:
                  - name: app
                    image: example/app:1
                    ports:
                    - name: http
                      containerPort: %s
                    readinessProbe:
                      %s:
                        path: /q/health/ready
                        port: http
            """;

    @Test
    void everyKustomizationRendersAndEveryObjectMatchesTheKubernetesApi() {
        List<Path> kustomizations = Kustomizations.all();
        assertThat(kustomizations).extracting(Kustomizations::name).contains("base", "overlays/postgres",
                "overlays/cockroachdb", "overlays/tidb", "observability", "loadtest");
        for (Path dir : kustomizations) {
            KubernetesSchema.Result result = KubernetesSchema.read(Kustomizations.render(dir));
            assertThat(result.violations()).as("objects of %s the Kubernetes API would not accept", Kustomizations.name(dir))
                    .isEmpty();
            assertThat(result.objects()).as("objects rendered from %s", Kustomizations.name(dir)).isNotEmpty();
        }
    }

    @Test
    void theWellFormedSampleIsAccepted() {
        KubernetesSchema.Result result = KubernetesSchema.read(DEPLOYMENT.formatted("9100", "httpGet"));

        assertThat(result.violations()).isEmpty();
        assertThat(result.objects()).extracting(HasMetadata::getKind).containsExactly("Deployment");
    }

    @Test
    void aMisspelledFieldNameFailsWithItsPath() {
        KubernetesSchema.Result result = KubernetesSchema.read(DEPLOYMENT.formatted("9100", "httpGett"));

        assertThat(result.violations()).containsExactly(
                "Deployment/probe-typo.spec.template.spec.containers[0].readinessProbe.httpGett: not a field of Probe");
    }

    @Test
    void aValueOfTheWrongTypeFails() {
        KubernetesSchema.Result result = KubernetesSchema.read(DEPLOYMENT.formatted("nine-thousand", "httpGet"));

        assertThat(result.violations()).singleElement().asString().startsWith("Deployment/probe-typo")
                .contains("containerPort");
    }

    @Test
    void aKindTheApiDoesNotHaveFails() {
        KubernetesSchema.Result result = KubernetesSchema.read("""
                apiVersion: apps/v1
                kind: Deployement
                metadata:
                  name: typo
                """);

        assertThat(result.violations()).containsExactly("Deployement/typo: no kind Deployement in apps/v1 in the Kubernetes API");
    }
}
