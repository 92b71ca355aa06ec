package io.gamestate.state.service;

import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
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
 */
final class GroupCommit {

    private final Function<List<RmwUnit>, Uni<List<RmwResult>>> applyBatch;
    private final int maxInFlight;
    private final int maxUnits;
    private final Deque<Waiting> queue = new ArrayDeque<>();
    private int inFlight;

    GroupCommit(Function<List<RmwUnit>, Uni<List<RmwResult>>> applyBatch, int maxInFlight, int maxUnits) {
        this.applyBatch = applyBatch;
        this.maxInFlight = maxInFlight;
        this.maxUnits = maxUnits;
    }

    Uni<RmwResult> submit(RmwUnit unit) {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                queue.add(new Waiting(unit, emitter));
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
        applyBatch.apply(batch.stream().map(Waiting::unit).toList()).subscribe().with(
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

    private void finished() {
        synchronized (this) {
            inFlight--;
        }
        drain();
    }

    private record Waiting(RmwUnit unit, UniEmitter<? super RmwResult> emitter) {
    }
}
