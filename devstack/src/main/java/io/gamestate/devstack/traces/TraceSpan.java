package io.gamestate.devstack.traces;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/** One span as Zipkin's v2 API returns it; times in microseconds since the epoch. */
record TraceSpan(String traceId, String id, String parentId, String service, String name, String kind,
                 long start, long duration, Map<String, String> tags, Map<String, Long> events) {

    static TraceSpan of(JsonNode span) {
        Map<String, String> tags = new HashMap<>();
        span.path("tags").fields().forEachRemaining(tag -> tags.put(tag.getKey(), tag.getValue().asText()));
        Map<String, Long> events = new HashMap<>();
        // OpenTelemetry's Zipkin exporter writes an event as the annotation "name":{attributes}.
        span.path("annotations").forEach(a -> events.putIfAbsent(
                a.path("value").asText().replaceFirst("^\"([^\"]*)\".*$", "$1"), a.path("timestamp").asLong()));
        return new TraceSpan(span.path("traceId").asText(), span.path("id").asText(),
                span.hasNonNull("parentId") ? span.get("parentId").asText() : null,
                span.path("localEndpoint").path("serviceName").asText("?"), span.path("name").asText(),
                span.path("kind").asText(""), span.path("timestamp").asLong(), span.path("duration").asLong(), tags, events);
    }

    long end() {
        return start + duration;
    }
}
