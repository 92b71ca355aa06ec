package io.gamestate.common.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.quarkus.arc.Arc;
import io.quarkus.opentelemetry.runtime.QuarkusContextStorage;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs reactive work under a span. Quarkus keeps the current trace context in the Vert.x context,
 * so the work runs on a new duplicated Vert.x context that holds the span: every SQL statement and
 * gRPC call it starts, on whatever callback, takes the span as parent, and two pieces of work on
 * one event loop never see each other's span.
 */
public final class Traced {

    private Traced() {
    }

    /** Starts the span, runs {@code work} under it, ends it when the work ends (an error marks it). */
    public static <T> Uni<T> inSpan(SpanBuilder builder, Function<Span, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Span span = builder.startSpan();
            if (!span.getSpanContext().isValid()) {
                return work.apply(span); // tracing is off: nothing to carry
            }
            return within(Context.current().with(span), () -> work.apply(span))
                    .onTermination().invoke((item, failure, cancelled) -> end(span, failure));
        });
    }

    /** Runs {@code work} with {@code context} as the current trace context. */
    public static <T> Uni<T> within(Context context, Supplier<Uni<T>> work) {
        io.vertx.core.Context current = Vertx.currentContext();
        // Off the event loop (a scheduler, a test's thread) the work starts on an event loop.
        io.vertx.core.Context base = current != null ? current : Arc.container().instance(Vertx.class).get().getOrCreateContext();
        io.vertx.core.Context fresh = VertxContext.createNewDuplicatedContext(base);
        return Uni.createFrom().emitter(emitter -> fresh.runOnContext(ignored -> {
            // The fresh context serves this work alone and is dropped with it: no scope to close.
            QuarkusContextStorage.INSTANCE.attach(fresh, context);
            Uni<T> started;
            try {
                started = work.get();
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            started.subscribe().with(emitter::complete, emitter::fail);
        }));
    }

    static void end(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }
        span.end();
    }
}
