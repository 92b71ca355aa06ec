package io.gamestate.state;

import static io.gamestate.state.TestWorld.damage;
import static io.gamestate.state.TestWorld.move;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Callers applying units through the real gRPC client, each on an NPC of its own, while a test
 * hurts the store; and the check such a test ends with: every unit, re-sent, is found applied
 * exactly once, an acknowledged one with the result its caller was told.
 */
final class CallersUnderFault {

    static final Duration CALL_WAIT = Duration.ofSeconds(30);

    record Answer(RmwUnit unit, Status.Code code, RmwResult result, long sentAt, long answeredAt) {
    }

    private final TestWorld world;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService callers;
    private final int callerCount;

    private CallersUnderFault(TestWorld world, int callers) {
        this.world = world;
        this.callerCount = callers;
        this.callers = Executors.newFixedThreadPool(callers);
    }

    /** Resets the world and starts the callers: damage and moves in turn, 5 ms apart. */
    static CallersUnderFault start(TestWorld world, int count) {
        world.reset();
        List<Long> npcs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            npcs.add(world.npc(10 + i, 10, 1_000_000));
        }
        CallersUnderFault callers = new CallersUnderFault(world, count);
        for (long npc : npcs) {
            callers.callers.submit(() -> {
                for (int i = 0; callers.running.get(); i++) {
                    callers.answers.add(callers.send(i % 2 == 0 ? damage(0, npc, 1) : move(npc, 10 + i % 20, 10 + i % 7)));
                    pause(5);
                }
            });
        }
        return callers;
    }

    /** Stops the callers and answers every call they made. */
    List<Answer> stop() throws InterruptedException {
        running.set(false);
        callers.shutdown();
        assertThat(callers.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        return List.copyOf(answers);
    }

    /** Every unit re-sent: applied exactly once however its first call ended; an acknowledged one replays its result. */
    void assertEachAppliedOnce(List<Answer> answers) throws InterruptedException, ExecutionException {
        List<RmwResult> again = resend(answers);
        Map<String, Long> changes = new HashMap<>();
        world.rows("SELECT request_id, COUNT(*) FROM change_log GROUP BY request_id")
                .forEach(r -> changes.put(r.getString(0), ((Number) r.getValue(1)).longValue()));
        for (int i = 0; i < answers.size(); i++) {
            Answer a = answers.get(i);
            if (a.code() == Status.Code.OK) {
                assertThat(again.get(i).getReplayed()).as("an acknowledged unit is stored").isTrue();
                assertThat(again.get(i).toBuilder().setReplayed(false).build()).isEqualTo(a.result());
            }
            assertThat(changes.getOrDefault(a.unit().getRequestId(), 0L))
                    .as("applied exactly once, however its first call ended").isEqualTo(1);
        }
        world.assertInvariants();
    }

    /**
     * Each unit sent again as its caller would, by as many callers at once as sent them first:
     * one after the other, thousands of re-sends took minutes of a test's time.
     */
    private List<RmwResult> resend(List<Answer> answers) throws InterruptedException, ExecutionException {
        ExecutorService resenders = Executors.newFixedThreadPool(callerCount);
        try {
            List<Future<RmwResult>> sent = new ArrayList<>();
            for (Answer a : answers) {
                sent.add(resenders.submit(() -> world.apply(a.unit())));
            }
            List<RmwResult> results = new ArrayList<>();
            for (Future<RmwResult> result : sent) {
                results.add(result.get());
            }
            return results;
        } finally {
            resenders.shutdownNow();
        }
    }

    private Answer send(RmwUnit unit) {
        long sent = System.nanoTime();
        try {
            RmwResult result = world.client().applyRmw(unit).await().atMost(CALL_WAIT);
            return new Answer(unit, Status.Code.OK, result, sent, System.nanoTime());
        } catch (StatusRuntimeException e) {
            return new Answer(unit, e.getStatus().getCode(), null, sent, System.nanoTime());
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    static long toMs(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
