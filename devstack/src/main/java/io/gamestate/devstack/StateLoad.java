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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the load commands (bench, transfers) drive state-service with, in one place. */
public final class StateLoad {

    private StateLoad() {
    }

    /** A unit with a fresh request id. */
    public static RmwUnit.Builder unit() {
        return RmwUnit.newBuilder().setRequestId(UUID.randomUUID().toString());
    }

    /**
     * Calls {@code call} again and again, {@code inFlight} at a time, until {@code endNanos}
     * ({@link System#nanoTime}); waits at most {@code timeout} for the last calls.
     */
    public static <T> void inFlight(int inFlight, long endNanos, Duration timeout, Supplier<Uni<T>> call) {
        inFlight(inFlight, () -> System.nanoTime() < endNanos, timeout, call);
    }

    /** Calls {@code call} again and again, {@code inFlight} at a time, while {@code going}; waits at most {@code timeout} in all. */
    public static <T> void inFlight(int inFlight, BooleanSupplier going, Duration timeout, Supplier<Uni<T>> call) {
        List<Multi<T>> workers = new ArrayList<>();
        for (int w = 0; w < inFlight; w++) {
            workers.add(Multi.createBy().repeating().uni(call::get).whilst(ignored -> going.getAsBoolean()));
        }
        Multi.createBy().merging().streams(workers).collect().last().await().atMost(timeout);
    }

    /**
     * An open loop: starts a call every {@code 1/perSecond} seconds until {@code endNanos}, whether
     * or not earlier ones have answered, and hands each call the time it was due. A latency taken
     * from that time counts every wait a client at this rate would see, including the wait for a
     * free slot: at most one second's worth of calls is outstanding. Waits at most {@code timeout}
     * in all.
     */
    public static void atRate(double perSecond, long endNanos, Duration timeout, LongFunction<Uni<?>> call) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int slots = Math.max(1, (int) Math.ceil(perSecond));
        Semaphore outstanding = new Semaphore(slots);
        double interval = 1e9 / perSecond;
        long start = System.nanoTime();
        try {
            for (long n = 0; start + (long) (n * interval) < endNanos; n++) {
                long due = start + (long) (n * interval);
                LockSupport.parkNanos(due - System.nanoTime());
                awaitSlots(outstanding, 1, deadline, timeout);
                call.apply(due).subscribe().with(answer -> outstanding.release(), failure -> outstanding.release());
            }
            awaitSlots(outstanding, slots, deadline, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling at " + perSecond + "/s", e);
        }
    }

    private static void awaitSlots(Semaphore outstanding, int slots, long deadline, Duration timeout) throws InterruptedException {
        if (!outstanding.tryAcquire(slots, deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("calls still outstanding after " + timeout);
        }
    }

    /** Sum of a Prometheus series of state-service whose line starts with the given name; -1 when unreachable. */
    public static long stateMetric(String series) {
        List<String> lines = stateMetricLines(series);
        return lines == null ? -1 : lines.stream().mapToLong(StateLoad::value).sum();
    }

    /** A Prometheus series of state-service by the value of one label (e.g. retries by reason); empty when unreachable. */
    public static Map<String, Long> stateMetricByLabel(String series, String label) {
        Map<String, Long> byLabel = new TreeMap<>();
        Pattern labelValue = Pattern.compile(label + "=\"([^\"]*)\"");
        List<String> lines = stateMetricLines(series);
        for (String line : lines == null ? List.<String>of() : lines) {
            Matcher m = labelValue.matcher(line.substring(0, seriesEnd(line)));
            byLabel.merge(m.find() ? m.group(1) : "", value(line), Long::sum);
        }
        return byLabel;
    }

    /** after - before per key, keys with no change left out. */
    public static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> difference = new TreeMap<>();
        after.forEach((key, value) -> {
            long d = value - before.getOrDefault(key, 0L);
            if (d != 0) {
                difference.put(key, d);
            }
        });
        return difference;
    }

    /** state-service's HTTP server (health, metrics, /q/info), found by {@code STATE_HOST} and {@code STATE_HTTP_PORT}. */
    public static String stateHttp() {
        return http("STATE", "9111");
    }

    /** The lines of state-service's /q/metrics that start with the series name; null when unreachable. */
    private static List<String> stateMetricLines(String series) {
        return metricLines(stateHttp(), series);
    }

    /** The lines of query-service's /q/metrics that start with the series name; null when unreachable. */
    public static List<String> queryMetricLines(String series) {
        return metricLines(http("QUERY", "9112"), series);
    }

    private static String http(String service, String defaultPort) {
        return "http://" + System.getenv().getOrDefault(service + "_HOST", "127.0.0.1") + ":"
                + System.getenv().getOrDefault(service + "_HTTP_PORT", defaultPort);
    }

    /** A service's /q/metrics lines that start with the series name. */
    private static List<String> metricLines(String server, String series) {
        String url = server + "/q/metrics";
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith(series)).toList();
        } catch (Exception e) {
            return null;
        }
    }

    /** "series value" and, with tracing on, " # {trace_id=...} exemplar timestamp" after it. */
    private static long value(String line) {
        return (long) Double.parseDouble(line.substring(seriesEnd(line)).trim().split(" ")[0]);
    }

    /** Where the series name and its labels end: label values may hold spaces. */
    private static int seriesEnd(String line) {
        int labels = line.indexOf('{');
        return labels >= 0 && labels < line.indexOf(' ') ? line.indexOf('}') + 1 : line.indexOf(' ');
    }
}
