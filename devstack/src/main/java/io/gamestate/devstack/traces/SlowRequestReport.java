package io.gamestate.devstack.traces;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * The slowest player requests of a run, from their traces: which requests passed the run's
 * percentile (or a fixed bound), where their time went, and the causes ranked by the time they
 * cost all those requests together.
 */
public final class SlowRequestReport {

    /** A cause and the time it took, in milliseconds. */
    public record Cause(String name, double millis) {
    }

    /** One slow request: its trace, its span, its time, and its causes, largest first. */
    public record SlowRequest(String traceId, String name, double millis, List<Cause> causes, String link) {
    }

    public record Result(int requests, double thresholdMillis, List<SlowRequest> slowest, List<Cause> causes) {
    }

    private final ZipkinTraces zipkin;
    private final TimeBreakdown breakdown;

    public SlowRequestReport(ZipkinTraces zipkin) {
        this.zipkin = zipkin;
        this.breakdown = new TimeBreakdown(zipkin::trace);
    }

    /**
     * Requests are the GLS's server spans that start a trace in the suite (a player's HTTP call or
     * WebSocket action). Slow means at or above {@code percentile} of them, or {@code minMillis}
     * when given.
     */
    public Result run(Duration lookback, double percentile, Optional<Double> minMillis, int limit) {
        List<Request> requests = new ArrayList<>();
        for (List<TraceSpan> trace : zipkin.recent("gls-service", lookback, limit)) {
            requestSpan(trace).ifPresent(span -> requests.add(new Request(span, trace)));
        }
        if (requests.isEmpty()) {
            return new Result(0, 0, List.of(), List.of());
        }
        requests.sort(Comparator.comparingLong((Request r) -> r.span().duration()).reversed());
        double threshold = minMillis.orElseGet(() -> percentileMillis(requests, percentile));
        Map<String, Double> total = new HashMap<>();
        List<SlowRequest> slowest = new ArrayList<>();
        for (Request r : requests) {
            if (r.span().duration() / 1000.0 < threshold) {
                break;
            }
            Map<String, Double> causes = breakdown.of(r.span(), r.trace());
            causes.forEach((cause, micros) -> total.merge(cause, micros, Double::sum));
            slowest.add(new SlowRequest(r.span().traceId(), r.span().name(), r.span().duration() / 1000.0,
                    ranked(causes), zipkin.link(r.span().traceId())));
        }
        return new Result(requests.size(), threshold, slowest, ranked(total));
    }

    private static Optional<TraceSpan> requestSpan(List<TraceSpan> trace) {
        List<String> ids = trace.stream().map(TraceSpan::id).toList();
        return trace.stream()
                .filter(s -> s.service().equals("gls-service") && s.kind().equals("SERVER"))
                .filter(s -> s.parentId() == null || !ids.contains(s.parentId()))
                .findFirst();
    }

    private static double percentileMillis(List<Request> requests, double percentile) {
        Histogram micros = new Histogram(3);
        requests.forEach(r -> micros.recordValue(r.span().duration()));
        // The bucket's lower edge, so the requests that fell into the percentile's bucket count as slow.
        return micros.lowestEquivalentValue(micros.getValueAtPercentile(percentile)) / 1000.0;
    }

    private static List<Cause> ranked(Map<String, Double> micros) {
        return micros.entrySet().stream().map(e -> new Cause(e.getKey(), e.getValue() / 1000.0))
                .sorted(Comparator.comparingDouble(Cause::millis).reversed()).toList();
    }

    /** The report as a person reads it: ranked causes, then the slowest requests with their links. */
    public static String format(Result result, int show) {
        StringBuilder out = new StringBuilder();
        if (result.requests() == 0) {
            return "no player requests traced in that window: is the suite exporting to this Zipkin?\n";
        }
        List<SlowRequest> slow = result.slowest();
        double slowTotal = slow.stream().mapToDouble(SlowRequest::millis).sum();
        out.append(String.format("%d of %d traced player requests took >= %.1f ms%n", slow.size(), result.requests(),
                result.thresholdMillis()));
        out.append("where their time went (all of them together):\n");
        int rank = 1;
        for (Cause c : result.causes().subList(0, Math.min(8, result.causes().size()))) {
            out.append(String.format("  %d. %-100s %9.1f ms %5.1f%%%n", rank++, c.name(), c.millis(), 100 * c.millis() / slowTotal));
        }
        out.append("slowest requests:\n");
        rank = 1;
        for (SlowRequest r : slow.subList(0, Math.min(show, slow.size()))) {
            out.append(String.format("  %d. %-32s %8.1f ms  %s%n", rank++, r.name(), r.millis(), r.link()));
            for (Cause c : r.causes().subList(0, Math.min(3, r.causes().size()))) {
                out.append(String.format("       %5.1f%%  %s%n", 100 * c.millis() / r.millis(), c.name()));
            }
        }
        return out.toString();
    }

    private record Request(TraceSpan span, List<TraceSpan> trace) {
    }
}
