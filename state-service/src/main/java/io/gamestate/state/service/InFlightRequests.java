package io.gamestate.state.service;

import io.gamestate.proto.state.v1.RmwResult;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Request ids this instance is applying. A copy of an id that arrives while its first copy is in
 * flight waits for it and answers its result, rather than running the rule again on the state the
 * first copy leaves (where, say, the traded item is no longer the sender's). Across instances the
 * same guarantee comes from the stored result read again under the unit's locks.
 */
final class InFlightRequests {

    private final Map<String, CompletableFuture<Applied>> running = new ConcurrentHashMap<>();

    private record Applied(long fingerprint, RmwResult result) {
    }

    /** Commits the units no other call is applying; the others answer what their first copy answered. */
    Uni<Map<String, RmwResult>> apply(List<PlannedUnit> units, Function<List<PlannedUnit>, Uni<Map<String, RmwResult>>> commit) {
        List<PlannedUnit> leading = new ArrayList<>();
        Map<String, CompletableFuture<Applied>> led = new HashMap<>();
        Map<PlannedUnit, CompletableFuture<Applied>> following = new LinkedHashMap<>();
        for (PlannedUnit u : units) {
            CompletableFuture<Applied> mine = new CompletableFuture<>();
            CompletableFuture<Applied> earlier = running.putIfAbsent(u.requestId(), mine);
            if (earlier == null) {
                leading.add(u);
                led.put(u.requestId(), mine);
            } else {
                following.put(u, earlier);
            }
        }
        Uni<Map<String, RmwResult>> own = leading.isEmpty()
                ? Uni.createFrom().item(Map.of())
                : commit.apply(leading).onTermination().invoke((results, failure, cancelled) -> {
                    for (PlannedUnit u : leading) {
                        CompletableFuture<Applied> copy = led.get(u.requestId());
                        running.remove(u.requestId(), copy);
                        RmwResult result = results == null ? null : results.get(u.requestId());
                        if (result != null) {
                            copy.complete(new Applied(u.fingerprint(), result));
                        } else {
                            copy.completeExceptionally(failure != null ? failure : new CancellationException("first copy cancelled"));
                        }
                    }
                });
        // Own units first, then the copies: a call never waits for another while its own units are unfinished.
        return own.chain(results -> {
            if (following.isEmpty()) {
                return Uni.createFrom().item(results);
            }
            List<Uni<RmwResult>> copies = new ArrayList<>();
            following.forEach((u, first) -> copies.add(copyOf(u, first, commit)));
            return Uni.join().all(copies).andFailFast().map(answers -> {
                Map<String, RmwResult> all = new HashMap<>(results);
                answers.forEach(r -> all.put(r.getRequestId(), r));
                return all;
            });
        });
    }

    /** The first copy's answer; if that copy failed without one, this copy runs itself. */
    private static Uni<RmwResult> copyOf(PlannedUnit u, CompletableFuture<Applied> first,
                                         Function<List<PlannedUnit>, Uni<Map<String, RmwResult>>> commit) {
        // A stage of our own: cancelling this copy must not cancel the first copy's future.
        return Uni.createFrom().completionStage(() -> first.thenApply(Function.identity()))
                .map(applied -> answerForCopy(u, applied))
                .onFailure().recoverWithUni(() -> commit.apply(List.of(u)).map(results -> results.get(u.requestId())));
    }

    private static RmwResult answerForCopy(PlannedUnit u, Applied first) {
        if (first.fingerprint() != u.fingerprint()) {
            return BatchAttempt.failure(u, Status.Code.ALREADY_EXISTS,
                    "request id " + u.requestId() + " is being applied for a different unit");
        }
        RmwResult result = first.result();
        return result.getCode() == Status.Code.OK.value() ? result.toBuilder().setReplayed(true).build() : result;
    }
}
