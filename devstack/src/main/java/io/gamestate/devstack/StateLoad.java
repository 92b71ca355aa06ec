package io.gamestate.devstack;

import io.gamestate.proto.state.v1.RmwUnit;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import picocli.CommandLine.TypeConversionException;

/** What the load commands (bench, transfers) drive state-service with, in one place. */
final class StateLoad {

    private StateLoad() {
    }

    /** A unit with a fresh request id. */
    static RmwUnit.Builder unit() {
        return RmwUnit.newBuilder().setRequestId(UUID.randomUUID().toString());
    }

    /**
     * Calls {@code call} again and again, {@code inFlight} at a time, until {@code endNanos}
     * ({@link System#nanoTime}); waits at most {@code timeout} for the last calls.
     */
    static <T> void inFlight(int inFlight, long endNanos, Duration timeout, Supplier<Uni<T>> call) {
        List<Multi<T>> workers = new ArrayList<>();
        for (int w = 0; w < inFlight; w++) {
            workers.add(Multi.createBy().repeating().uni(call::get).whilst(ignored -> System.nanoTime() < endNanos));
        }
        Multi.createBy().merging().streams(workers).collect().last().await().atMost(timeout);
    }

    /** Sum of a Prometheus series of state-service whose line starts with the given name; -1 when unreachable. */
    static long stateMetric(String series) {
        String url = "http://" + System.getenv().getOrDefault("STATE_HOST", "127.0.0.1") + ":"
                + System.getenv().getOrDefault("STATE_PORT", "9101") + "/q/metrics";
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            // "series value" and, with tracing on, " # {trace_id=...} exemplar timestamp" after it.
            return body.lines().filter(l -> l.startsWith(series))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1).split(" ")[0])).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The value whose command-line name ({@code toString}) is {@code value}: picocli's own conversion knows only Java names. */
    static <E> E byName(E[] values, String value, String what) {
        return Arrays.stream(values).filter(v -> v.toString().equals(value)).findFirst()
                .orElseThrow(() -> new TypeConversionException("'" + value + "' is no " + what + "; choose from " + Arrays.toString(values)));
    }
}
