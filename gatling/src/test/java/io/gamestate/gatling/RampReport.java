package io.gamestate.gatling;

import com.tdunning.math.stats.AVLTreeDigest;
import io.gatling.javaapi.core.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-level figures of a throughput ramp and the highest rate within the latency bound. Gatling's
 * assertions are global and its report is written only after the simulation's {@code after} hook
 * (Gatling 3.15 writes no stats JSON either), so the ramp records each level's response times
 * itself, the same milliseconds Gatling logs under the level's request name, into the same
 * estimator Gatling's report uses (a t-digest, compression 100), and prints the table from
 * {@code after}.
 */
final class RampReport {

    static final String RESPONSE_MS = "responseMs";

    /** One step of the ramp: its arrival rate and the request name its actions are reported under. */
    record Level(int usersPerSecond, String requestName) {
    }

    /** Gatling's own percentile estimator (gatling-charts' PercentilesBuffers), for figures that match its report. */
    private static final double GATLING_COMPRESSION = 100;

    private static final class Recorded {
        final AVLTreeDigest millis = new AVLTreeDigest(GATLING_COMPRESSION);
        final AtomicLong requests = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
    }

    private final List<Level> levels = new ArrayList<>();
    private final Map<String, Recorded> recorded = new LinkedHashMap<>();

    RampReport(String action, int startRate, int stepRate, int levelCount) {
        for (int i = 0; i < levelCount; i++) {
            int rate = startRate + i * stepRate;
            Level level = new Level(rate, action + " @ " + rate + "/s");
            levels.add(level);
            recorded.put(level.requestName(), new Recorded());
        }
    }

    List<Level> levels() {
        return levels;
    }

    /** Counts the level's action that just ended in this virtual user's session (one action per user). */
    Session record(String requestName, Session session) {
        Recorded r = recorded.get(requestName);
        r.requests.incrementAndGet();
        if (session.isFailed()) {
            r.failed.incrementAndGet();
        }
        if (session.contains(RESPONSE_MS)) {
            synchronized (r.millis) {
                r.millis.add(session.getInt(RESPONSE_MS));
            }
        }
        return session;
    }

    /**
     * The table and two answers within the bounds (a p99 of at most {@code p99Ms}, at most
     * {@code maxFailedPercent} failed): the sustained rate (every level up to it within) and the
     * highest level within. They differ when a level in between broke the bounds: noise on a shared
     * machine, or a limit that a repeated run tells apart.
     */
    String render(int p99Ms, double maxFailedPercent) {
        StringBuilder out = new StringBuilder(String.format("%10s %9s %6s %8s %8s %8s  %s%n",
                "rate/s", "requests", "KO", "p50 ms", "p95 ms", "p99 ms", "within bounds"));
        List<Integer> outside = new ArrayList<>();
        Integer sustained = null;
        Integer highest = null;
        for (Level level : levels) {
            Recorded r = recorded.get(level.requestName());
            long requests = r.requests.get();
            long failed = r.failed.get();
            int p99 = percentile(r.millis, 99);
            boolean within = requests > 0 && p99 <= p99Ms && 100.0 * failed / requests <= maxFailedPercent;
            if (within) {
                highest = level.usersPerSecond();
                sustained = outside.isEmpty() ? highest : sustained;
            } else {
                outside.add(level.usersPerSecond());
            }
            out.append(String.format("%10d %9d %6d %8d %8d %8d  %s%n", level.usersPerSecond(), requests, failed,
                    percentile(r.millis, 50), percentile(r.millis, 95), p99, within ? "yes" : "no"));
        }
        out.append("bounds: p99 <= ").append(p99Ms).append(" ms, at most ").append(maxFailedPercent).append(" % KO\n");
        out.append("highest rate within the bounds, sustained (every level up to it within): ")
                .append(sustained == null ? "none" : sustained + "/s").append("\n");
        out.append("highest single level within the bounds: ").append(highest == null ? "none" : highest + "/s");
        if (outside.isEmpty()) {
            out.append(" (the top level: raise levels or stepRate to find the limit)");
        } else {
            out.append(" (levels outside: ").append(outside).append(" /s)");
        }
        return out.append("\n").toString();
    }

    /**
     * The levels as JSON, for the scorecard (devstack's ramp scenario reads it): per level the
     * rate, requests, failed and latencies in milliseconds.
     */
    String json(int p99Ms) {
        StringBuilder out = new StringBuilder("{\"p99BoundMs\": " + p99Ms + ", \"levels\": [");
        for (Level level : levels) {
            Recorded r = recorded.get(level.requestName());
            synchronized (r.millis) {
                boolean answered = r.millis.size() > 0;
                out.append(String.format(Locale.ROOT,
                        "%s%n  {\"rate\": %d, \"requests\": %d, \"failed\": %d, \"p50\": %d, \"p95\": %d, \"p99\": %d, "
                                + "\"p999\": %d, \"max\": %d, \"mean\": %.3f}",
                        level == levels.get(0) ? "" : ",", level.usersPerSecond(), r.requests.get(), r.failed.get(),
                        percentile(r.millis, 50), percentile(r.millis, 95), percentile(r.millis, 99), percentile(r.millis, 99.9),
                        answered ? (int) Math.round(r.millis.getMax()) : -1, answered ? r.millis.centroids().stream()
                                .mapToDouble(c -> c.mean() * c.count()).sum() / r.millis.size() : -1));
            }
        }
        return out.append("\n]}\n").toString();
    }

    /** In whole milliseconds like Gatling's report; -1 for a level without answers. */
    private static int percentile(AVLTreeDigest millis, double p) {
        synchronized (millis) {
            return millis.size() == 0 ? -1 : (int) Math.round(millis.quantile(p / 100));
        }
    }
}
