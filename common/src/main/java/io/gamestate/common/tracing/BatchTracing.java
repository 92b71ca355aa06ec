package io.gamestate.common.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Spans for work that many callers queue and one call carries (the GLS's ApplyBatch per tick,
 * state-service's group commit). Each caller's trace gets a span from the moment it queued until
 * its batch ended, with a {@code batch started} event where the wait ended. The batch runs under
 * the first caller's span, so that trace holds the downstream detail; every other caller's span
 * names it in {@code batch.trace_id} and {@code batch.span_id}, which is how a reader (and the
 * slow-request report) follows a trace into the batch that carried it.
 */
public final class BatchTracing {

    public static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("batch.size");
    public static final AttributeKey<String> BATCH_TRACE_ID = AttributeKey.stringKey("batch.trace_id");
    public static final AttributeKey<String> BATCH_SPAN_ID = AttributeKey.stringKey("batch.span_id");
    public static final String BATCH_STARTED = "batch started";

    private BatchTracing() {
    }

    /** A caller's place in the queue: its trace context and when it arrived. */
    public record Queued(Context parent, Instant at) {
        public static Queued now() {
            return new Queued(Context.current(), Instant.now());
        }
    }

    /** Runs {@code call} for the whole batch, with one span named {@code name} (of {@link SpanNames}) per queued caller. */
    public static <T> Uni<T> carry(Tracer tracer, String name, List<Queued> members, Supplier<Uni<T>> call) {
        Span[] spans = new Span[members.size()];
        for (int i = 0; i < spans.length; i++) {
            Queued member = members.get(i);
            spans[i] = tracer.spanBuilder(name).setParent(member.parent()).setStartTimestamp(member.at())
                    .setAttribute(BATCH_SIZE, (long) spans.length).startSpan();
            spans[i].addEvent(BATCH_STARTED);
        }
        Span carrier = spans[0];
        if (!carrier.getSpanContext().isValid()) {
            return call.get(); // tracing is off
        }
        for (int i = 1; i < spans.length; i++) {
            spans[i].setAttribute(BATCH_TRACE_ID, carrier.getSpanContext().getTraceId());
            spans[i].setAttribute(BATCH_SPAN_ID, carrier.getSpanContext().getSpanId());
        }
        return Traced.within(members.get(0).parent().with(carrier), call)
                .onTermination().invoke((item, failure, cancelled) -> {
                    for (Span span : spans) {
                        Traced.end(span, failure);
                    }
                });
    }
}
