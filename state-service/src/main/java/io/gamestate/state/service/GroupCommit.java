package io.gamestate.state.service;

import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.common.tracing.BatchTracing;
import io.gamestate.common.tracing.BatchTracing.Queued;
import io.gamestate.common.tracing.SpanNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit for single units: while {@code maxInFlight} transactions are running, units that
 * arrive wait in a queue; each transaction that ends starts the next one with up to
 * {@code maxUnits} queued units. Under load, one round trip then carries many units (and a hot
 * cell's lock is taken once per batch, not once per unit); when idle, a unit goes alone at once.
 * Each unit's trace shows its wait in a {@code rmw.group-commit} span ({@link BatchTracing}).
 */
final class GroupCommit {

    private final Function<List<RmwUnit>, Uni<List<RmwResult>>> applyBatch;
    private final int maxInFlight;
    private final int maxUnits;
    private final Tracer tracer;
    private final Deque<Waiting> queue = new ArrayDeque<>();
    private int inFlight;

    GroupCommit(Function<List<RmwUnit>, Uni<List<RmwResult>>> applyBatch, int maxInFlight, int maxUnits, Tracer tracer,
                MeterRegistry metrics) {
        this.applyBatch = applyBatch;
        this.tracer = tracer;
        Gauge.builder("gamestate.rmw.group_commit.queued", this, GroupCommit::queued)
                .description("Single units waiting for a group-commit transaction").register(metrics);
        this.maxInFlight = maxInFlight;
        this.maxUnits = maxUnits;
    }

    Uni<RmwResult> submit(RmwUnit unit) {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                queue.add(new Waiting(unit, emitter, Queued.now()));
            }
            drain();
        });
    }

    private void drain() {
        List<Waiting> batch = new ArrayList<>();
        synchronized (this) {
            if (inFlight >= maxInFlight || queue.isEmpty()) {
                return;
            }
            inFlight++;
            while (!queue.isEmpty() && batch.size() < maxUnits) {
                batch.add(queue.poll());
            }
        }
        List<RmwUnit> units = batch.stream().map(Waiting::unit).toList();
        BatchTracing.carry(tracer, SpanNames.RMW_GROUP_COMMIT, batch.stream().map(Waiting::queued).toList(),
                () -> applyBatch.apply(units)).subscribe().with(
                results -> {
                    finished();
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).emitter().complete(results.get(i));
                    }
                },
                failure -> {
                    finished();
                    batch.forEach(w -> w.emitter().fail(failure));
                });
    }

    private synchronized int queued() {
        return queue.size();
    }

    private void finished() {
        synchronized (this) {
            inFlight--;
        }
        drain();
    }

    private record Waiting(RmwUnit unit, UniEmitter<? super RmwResult> emitter, Queued queued) {
    }
}
