package io.gamestate.state;

import static io.gamestate.state.CallersUnderFault.ms;
import static io.gamestate.state.CallersUnderFault.pause;
import static io.gamestate.state.CallersUnderFault.toMs;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.state.CallersUnderFault.Answer;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The store is killed with SIGKILL under traffic and restarted: while it is down callers get
 * UNAVAILABLE (never INTERNAL), once it is back units apply and the service reports ready within
 * about a second, and every unit that was acknowledged is in the store with its stored result.
 */
@QuarkusTest
@QuarkusTestResource(value = OwnStore.class, restrictToAnnotatedClass = true)
@DisabledIfSystemProperty(named = "quarkus.test.profile", matches = ".*mysql.*",
        disabledReason = "kills a PostgreSQL server of its own; the MySQL family shares the code paths")
class StoreOutageTest {

    static final int CALLERS = 8;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Inject
    TestWorld world;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @Test
    void callersGetUnavailableWhileTheStoreIsDownAndNoAcknowledgedUnitIsLost() throws Exception {
        CallersUnderFault callers = CallersUnderFault.start(world, CALLERS);
        pause(1_500);
        long killedAt = System.nanoTime();
        OwnStore.server().kill();
        pause(2_000);
        long restartedAt = System.nanoTime();
        OwnStore.server().start();
        long acceptingAt = System.nanoTime();
        int firstProbe = probe();
        long readyAt = awaitReady();
        pause(1_500);
        List<Answer> answers = callers.stop();

        assertThat(answers).extracting(Answer::code).as("only OK or UNAVAILABLE, whatever the store did")
                .containsOnly(Status.Code.OK, Status.Code.UNAVAILABLE);
        List<Answer> duringOutage = answers.stream()
                .filter(a -> a.sentAt() > killedAt + ms(200) && a.answeredAt() < restartedAt).toList();
        assertThat(duringOutage).as("calls while the store is down").isNotEmpty()
                .allMatch(a -> a.code() == Status.Code.UNAVAILABLE);
        long firstOkAt = answers.stream().filter(a -> a.code() == Status.Code.OK && a.sentAt() > restartedAt)
                .mapToLong(Answer::answeredAt).min().orElseThrow();
        assertThat(answers.stream().filter(a -> a.sentAt() > acceptingAt + ms(1_000)))
                .as("a second after the store accepts connections, every call applies").isNotEmpty()
                .allMatch(a -> a.code() == Status.Code.OK);
        System.out.printf("store outage: %d calls, %d UNAVAILABLE; from pg_ctl start: server accepting after %d ms"
                        + " (crash recovery), first OK after %d ms, ready after %d ms%n", answers.size(),
                answers.stream().filter(a -> a.code() == Status.Code.UNAVAILABLE).count(),
                toMs(acceptingAt - restartedAt), toMs(firstOkAt - restartedAt), toMs(readyAt - restartedAt));
        assertThat(toMs(firstOkAt - acceptingAt)).as("ms to the first OK").isLessThan(2_000);
        assertThat(toMs(readyAt - acceptingAt)).as("ms to ready").isLessThan(2_000);
        assertThat(firstProbe).as("the first readiness probe once the store is back").isEqualTo(200);

        callers.assertEachAppliedOnce(answers);
    }

    private long awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + ms(60_000);
        while (System.nanoTime() < deadline) {
            if (probe() == 200) {
                return System.nanoTime();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("state-service not ready a minute after the store restarted");
    }

    private int probe() {
        try {
            return HTTP.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException("state-service itself must stay up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
