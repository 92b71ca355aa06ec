package io.gamestate.state;

import static io.gamestate.state.CallersUnderFault.ms;
import static io.gamestate.state.CallersUnderFault.pause;
import static io.gamestate.state.CallersUnderFault.toMs;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.state.CallersUnderFault.Answer;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
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

    @Inject
    TestWorld world;

    @Test
    void stateServiceFollowsThePromotedStandbyAndNoAcknowledgedUnitIsLost() throws Exception {
        CallersUnderFault callers = CallersUnderFault.start(world, CALLERS);
        pause(1_500);
        long killedAt = System.nanoTime();
        OwnReplicatedStore.primary().kill();
        pause(1_000);
        OwnReplicatedStore.standby().promote();
        long promotedAt = System.nanoTime();
        pause(2_000);
        List<Answer> answers = callers.stop();

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

        callers.assertEachAppliedOnce(answers);
    }
}
