package io.gamestate.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The open loop keeps its rate whether calls answer or not, and ends only when every call has answered. */
class StateLoadTest {

    @Test
    void startsCallsAtTheRateAndWaitsForTheirAnswers() {
        List<Long> dues = new CopyOnWriteArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        long start = System.nanoTime();
        // Each call answers after 50 ms, ten times the interval: calls overlap, and the rate holds.
        StateLoad.atRate(200, start + Duration.ofMillis(500).toNanos(), Duration.ofSeconds(10), due -> {
            dues.add(due);
            return Uni.createFrom().item(1).onItem().delayIt().by(Duration.ofMillis(50)).invoke(answered::incrementAndGet);
        });
        assertThat(dues).hasSizeBetween(98, 101);
        assertThat(answered).as("every call answered before atRate returned").hasValue(dues.size());
        for (int i = 1; i < dues.size(); i++) {
            assertThat(dues.get(i) - dues.get(i - 1)).as("interval %d", i).isBetween(4_900_000L, 5_100_000L);
        }
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofMillis(900).toNanos());
    }

    @Test
    void callsThatNeverAnswerEndTheLoadAtItsTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> StateLoad.atRate(50, start + Duration.ofMillis(200).toNanos(), Duration.ofMillis(500),
                due -> Uni.createFrom().nothing()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("outstanding");
        assertThat(System.nanoTime() - start).isBetween(Duration.ofMillis(450).toNanos(), Duration.ofSeconds(2).toNanos());
    }
}
