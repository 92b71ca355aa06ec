package io.gamestate.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered manifests into the Kubernetes API model (fabric8's, generated from the API's
 * OpenAPI schema) and reports what the API would not accept as written: a kind or apiVersion it
 * does not have, a value of the wrong type, and a field name it does not know. The model keeps
 * unknown fields in {@code additionalProperties} instead of failing, so every object is walked
 * and each such entry is reported with its path: a typo like {@code readinessProbe.httpGett},
 * which the API server would drop (or refuse under strict validation), fails here.
 */
final class KubernetesSchema {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    /** The objects read, and what is wrong with them (empty when all match the API). */
    record Result(List<HasMetadata> objects, List<String> violations) {
    }

    private KubernetesSchema() {
    }

    static Result read(String multiDocumentYaml) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        for (JsonNode document : documents(multiDocumentYaml)) {
            String id = document.path("kind").asText("?") + "/" + document.path("metadata").path("name").asText("?");
            KubernetesResource resource;
            try {
                resource = SERIALIZATION.convertValue(document, KubernetesResource.class);
            } catch (IllegalArgumentException e) {
                violations.add(id + ": " + e.getMessage());
                continue;
            }
            if (resource instanceof GenericKubernetesResource) {
                violations.add(id + ": no kind " + document.path("kind").asText() + " in "
                        + document.path("apiVersion").asText() + " in the Kubernetes API");
                continue;
            }
            collectUnknownFields(resource, id, violations);
            objects.add((HasMetadata) resource);
        }
        return new Result(objects, violations);
    }

    private static List<JsonNode> documents(String yaml) {
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            List<JsonNode> all = new ArrayList<>();
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    all.add(document);
                }
            }
            return all;
        } catch (IOException e) {
            throw new AssertionError("not YAML: " + e.getMessage(), e);
        }
    }

    private static void collectUnknownFields(Object value, String path, List<String> violations) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectUnknownFields(list.get(i), path + "[" + i + "]", violations);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, entry) -> collectUnknownFields(entry, path + "." + key, violations));
        } else if (value != null && value.getClass().getName().startsWith(MODEL_PACKAGE)) {
            for (Method getter : getters(value.getClass())) {
                Object child = invoke(getter, value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    ((Map<?, ?>) child).keySet().forEach(field -> violations.add(path + "." + field
                            + ": not a field of " + value.getClass().getSimpleName()));
                } else {
                    collectUnknownFields(child, path + "." + propertyName(getter), violations);
                }
            }
        }
    }

    private static List<Method> getters(Class<?> type) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().startsWith("get") && m.getParameterCount() == 0
                        && !Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class)
                .sorted(Comparator.comparing(Method::getName))
                .toList();
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter + " on " + target.getClass(), e);
        }
    }

    private static String propertyName(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
