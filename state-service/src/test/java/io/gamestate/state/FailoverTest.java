package io.gamestate.state;

import static io.gamestate.state.TestWorld.damage;
import static io.gamestate.state.TestWorld.move;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The primary is killed with SIGKILL under traffic and its synchronous standby promoted: while
 * no node is primary callers get UNAVAILABLE (never INTERNAL), once the standby is promoted the
 * same state-service (no restart) applies units on it, and every unit acknowledged before, during
 * or after is on the promoted node with its stored result.
 */
@QuarkusTest
@QuarkusTestResource(value = OwnReplicatedStore.class, restrictToAnnotatedClass = true)
@DisabledIfSystemProperty(named = "quarkus.test.profile", matches = ".*mysql.*",
        disabledReason = "a PostgreSQL primary and standby of its own; the MySQL family has no standby to promote")
class FailoverTest {

    static final int CALLERS = 8;
    static final Duration CALL_WAIT = Duration.ofSeconds(30);

    @Inject
    TestWorld world;

    record Answer(RmwUnit unit, Status.Code code, RmwResult result, long sentAt, long answeredAt) {
    }

    @Test
    void stateServiceFollowsThePromotedStandbyAndNoAcknowledgedUnitIsLost() throws Exception {
        world.reset();
        List<Long> npcs = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            npcs.add(world.npc(10 + i, 10, 1_000_000));
        }
        Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        for (int c = 0; c < CALLERS; c++) {
            long npc = npcs.get(c);
            callers.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    answers.add(send(i % 2 == 0 ? damage(0, npc, 1) : move(npc, 10 + i % 20, 10 + i % 7)));
                    pause(5);
                }
            });
        }
        pause(1_500);
        long killedAt = System.nanoTime();
        OwnReplicatedStore.primary().kill();
        pause(1_000);
        OwnReplicatedStore.standby().promote();
        long promotedAt = System.nanoTime();
        pause(2_000);
        running.set(false);
        callers.shutdown();
        assertThat(callers.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

        assertThat(answers).extracting(Answer::code).as("only OK or UNAVAILABLE, whatever the store did")
                .containsOnly(Status.Code.OK, Status.Code.UNAVAILABLE);
        assertThat(answers.stream().filter(a -> a.sentAt() > killedAt + ms(200) && a.answeredAt() < promotedAt - ms(500)))
                .as("calls while no node is primary").isNotEmpty()
                .allMatch(a -> a.code() == Status.Code.UNAVAILABLE);
        long firstOkAt = answers.stream().filter(a -> a.code() == Status.Code.OK && a.sentAt() > killedAt)
                .mapToLong(Answer::answeredAt).min().orElseThrow();
        assertThat(answers.stream().filter(a -> a.sentAt() > promotedAt + ms(1_000)))
                .as("a second after the promotion, every call applies on the new primary").isNotEmpty()
                .allMatch(a -> a.code() == Status.Code.OK);
        System.out.printf("failover: %d calls, %d UNAVAILABLE; first OK %d ms after pg_ctl promote returned%n", answers.size(),
                answers.stream().filter(a -> a.code() == Status.Code.UNAVAILABLE).count(), toMs(firstOkAt - promotedAt));
        assertThat(world.number("SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END")).as("served by the promoted node")
                .isZero();

        for (Answer a : answers) {
            RmwResult again = world.apply(a.unit());
            if (a.code() == Status.Code.OK) {
                assertThat(again.getReplayed()).as("an acknowledged unit is on the promoted standby").isTrue();
                assertThat(again.toBuilder().setReplayed(false).build()).isEqualTo(a.result());
            }
            assertThat(world.number("SELECT COUNT(*) FROM change_log WHERE request_id = ?", a.unit().getRequestId()))
                    .as("applied exactly once, however its first call ended").isEqualTo(1);
        }
        world.assertInvariants();
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

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static long toMs(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
