package io.gamestate.devstack.traces;

import io.gamestate.common.tracing.BatchTracing;
import io.gamestate.common.tracing.RmwSpans;
import io.gamestate.common.tracing.SpanNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Splits a request's time into causes. Every microsecond of the request span goes to exactly one
 * cause: a span's time goes to its children where they run (shared equally while several run at
 * once, but a transaction's pipelined statements in the order its connection runs them) and to
 * the span itself where none runs. A queued caller's
 * span ({@code batch started} event) counts its wait as queueing, and a caller whose batch ran in
 * another trace ({@code batch.trace_id}) is followed into that trace.
 */
final class TimeBreakdown {

    // Written by Quarkus's instrumentation (OpenTelemetry semantic conventions), not by the suite.
    private static final String DB_STATEMENT = "db.statement";
    private static final String RPC_METHOD = "rpc.method";

    private final Function<String, List<TraceSpan>> traces;

    TimeBreakdown(Function<String, List<TraceSpan>> traces) {
        this.traces = traces;
    }

    /** Microseconds per cause; they add up to the span's duration. */
    Map<String, Double> of(TraceSpan span, List<TraceSpan> trace) {
        Map<String, Double> causes = new HashMap<>();
        add(span, trace, 1.0, causes);
        return causes;
    }

    private void add(TraceSpan span, List<TraceSpan> trace, double weight, Map<String, Double> causes) {
        String retryReason = span.tags().get(RmwSpans.RETRY_REASON.getKey());
        if (retryReason != null) {
            causes.merge("retry: attempt lost to " + retryReason, weight * span.duration(), Double::sum);
            return;
        }
        List<Part> parts = new ArrayList<>();
        Long batchStarted = span.events().get(BatchTracing.BATCH_STARTED);
        if (batchStarted != null) {
            parts.add(new Part(span.start(), batchStarted, waitCause(span), null, null));
        }
        List<TraceSpan> carriedIn = trace;
        String carrierTrace = span.tags().get(BatchTracing.BATCH_TRACE_ID.getKey());
        String parentId = span.id();
        if (carrierTrace != null) {
            carriedIn = traces.apply(carrierTrace);
            parentId = span.tags().get(BatchTracing.BATCH_SPAN_ID.getKey());
        }
        List<Part> children = new ArrayList<>();
        for (TraceSpan child : carriedIn) {
            if (parentId.equals(child.parentId())) {
                children.add(new Part(Math.max(child.start(), batchStarted == null ? span.start() : batchStarted),
                        Math.min(child.end(), span.end()), null, child, carriedIn));
            }
        }
        parts.addAll(SpanNames.RMW_TRANSACTION.equals(span.name()) ? inConnectionOrder(children) : children);
        Map<Part, Double> shares = share(span, parts);
        double self = span.duration() - shares.values().stream().mapToDouble(Double::doubleValue).sum();
        if (self > 0) {
            causes.merge(selfCause(span), weight * self, Double::sum);
        }
        shares.forEach((part, time) -> {
            if (part.cause() != null) {
                causes.merge(part.cause(), weight * time, Double::sum);
            } else if (part.span().duration() > 0) {
                add(part.span(), part.trace(), weight * time / part.span().duration(), causes);
            }
        });
    }

    /**
     * A transaction's statements run on one connection: pipelined together, the server still runs
     * them one after the other, so a statement's own time starts when the one sent before it ends
     * (a row lock wait is the locking statement's, not shared with those queued behind it).
     */
    private static List<Part> inConnectionOrder(List<Part> children) {
        List<Part> ordered = new ArrayList<>();
        long previousEnd = Long.MIN_VALUE;
        for (Part p : children.stream().sorted(Comparator.comparingLong(Part::from)).toList()) {
            if (!p.span().tags().containsKey(DB_STATEMENT)) {
                ordered.add(p);
                continue;
            }
            long from = Math.max(p.from(), previousEnd);
            ordered.add(new Part(from, Math.max(from, p.to()), null, p.span(), p.trace()));
            previousEnd = Math.max(previousEnd, p.to());
        }
        return ordered;
    }

    /** Time of each part within the span, overlapping parts sharing equally. */
    private static Map<Part, Double> share(TraceSpan span, List<Part> parts) {
        TreeSet<Long> bounds = new TreeSet<>(List.of(span.start(), span.end()));
        for (Part p : parts) {
            bounds.add(Math.max(span.start(), Math.min(span.end(), p.from())));
            bounds.add(Math.max(span.start(), Math.min(span.end(), p.to())));
        }
        Map<Part, Double> shares = new HashMap<>();
        Long previous = null;
        for (long bound : bounds) {
            if (previous != null) {
                long from = previous;
                List<Part> active = parts.stream().filter(p -> p.from() <= from && p.to() >= bound && p.to() > p.from()).toList();
                for (Part p : active) {
                    shares.merge(p, (double) (bound - from) / active.size(), Double::sum);
                }
            }
            previous = bound;
        }
        return shares;
    }

    private static String waitCause(TraceSpan span) {
        return switch (span.name()) {
            case SpanNames.GLS_TICK -> "queueing: GLS tick wait";
            case SpanNames.RMW_GROUP_COMMIT -> "queueing: state-service group-commit wait";
            default -> "queueing: " + span.service() + " " + span.name();
        };
    }

    static String selfCause(TraceSpan span) {
        String statement = span.tags().get(DB_STATEMENT);
        if (statement != null) {
            return "SQL " + span.service() + ": " + Statements.shorten(statement)
                    + (statement.contains("FOR UPDATE") ? " (row lock wait + read)" : "");
        }
        if ("CLIENT".equals(span.kind()) && span.tags().containsKey(RPC_METHOD)) {
            return "gRPC network and server queue: " + span.tags().get(RPC_METHOD);
        }
        if (SpanNames.RMW_TRANSACTION.equals(span.name())) {
            return span.service() + ": " + SpanNames.RMW_TRANSACTION + " outside its statements (BEGIN, COMMIT, the rules)";
        }
        if (SpanNames.RMW_BATCH.equals(span.name()) && !"0".equals(span.tags().getOrDefault(RmwSpans.RETRIES.getKey(), "0"))) {
            return "retry backoff: " + span.service();
        }
        return span.service() + ": " + span.name();
    }

    private record Part(long from, long to, String cause, TraceSpan span, List<TraceSpan> trace) {
    }
}
