package io.gamestate.devstack.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads traces from a Zipkin server's v2 API, and links to them in its UI. */
public final class ZipkinTraces {

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<TraceSpan>> byId = new HashMap<>();

    public ZipkinTraces(String base) {
        this.base = base.replaceFirst("/+$", "");
    }

    /** Traces with a span of {@code service} that ended in the last {@code lookback}. */
    List<List<TraceSpan>> recent(String service, Duration lookback, int limit) {
        JsonNode traces = get("/api/v2/traces?serviceName=" + service + "&lookback=" + lookback.toMillis()
                + "&endTs=" + System.currentTimeMillis() + "&limit=" + limit);
        List<List<TraceSpan>> out = new ArrayList<>();
        traces.forEach(trace -> {
            List<TraceSpan> spans = spans(trace);
            if (!spans.isEmpty()) {
                byId.put(spans.get(0).traceId(), spans);
                out.add(spans);
            }
        });
        return out;
    }

    /** One trace, empty if Zipkin does not have it (yet). */
    List<TraceSpan> trace(String traceId) {
        return byId.computeIfAbsent(traceId, id -> {
            try {
                return spans(get("/api/v2/trace/" + id));
            } catch (IllegalStateException notFound) {
                return List.of();
            }
        });
    }

    public String link(String traceId) {
        return base + "/zipkin/traces/" + traceId;
    }

    private static List<TraceSpan> spans(JsonNode trace) {
        List<TraceSpan> spans = new ArrayList<>();
        trace.forEach(span -> spans.add(TraceSpan.of(span)));
        return spans;
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Zipkin answered " + response.statusCode() + " to " + path);
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Zipkin at " + base + " is not reachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
