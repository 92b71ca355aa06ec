package io.gamestate.devstack.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Windows measured apart, as the contended transfers' mirrored rounds take them, add up to one. */
class WindowRecorderTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void anAppendedWindowAddsItsCallsAnswersLengthAndSeconds() {
        long firstStart = 1_000 * SECOND;
        WindowRecorder first = new WindowRecorder(firstStart);
        first.call(firstStart - SECOND, firstStart + SECOND / 2, 5); // started in the warm-up: not counted
        first.call(firstStart, firstStart + SECOND / 2, 1);
        first.call(firstStart + SECOND, firstStart + 2 * SECOND, 16);
        first.error(firstStart + SECOND, "ABORTED");
        first.retries(firstStart, "deadlock", 2);

        long laterStart = 5_000 * SECOND;
        WindowRecorder later = new WindowRecorder(laterStart);
        later.call(laterStart, laterStart + SECOND / 4, 16);
        later.call(laterStart + 2 * SECOND, laterStart + 3 * SECOND, 16);
        later.error(laterStart, "UNAVAILABLE");
        later.error(laterStart, "ABORTED");
        later.retries(laterStart, "deadlock", 1);

        assertThat(first.append(later)).isSameAs(first);

        assertThat(first.operations()).isEqualTo(49);
        assertThat(first.latencies().getTotalCount()).isEqualTo(4);
        assertThat(first.seconds()).as("2 s, then 3 s; the time between them does not count").isCloseTo(5.0, within(1e-9));
        assertThat(first.errorsByCode()).isEqualTo(Map.of("ABORTED", 2L, "UNAVAILABLE", 1L));
        assertThat(first.retriesByClass()).isEqualTo(Map.of("deadlock", 3L));
        // The first window's seconds 0 to 2, then the later one's 0 and 3 right after them.
        assertThat(first.perSecond()).containsOnlyKeys(0, 1, 2, 3, 6);
        assertThat(first.perSecond().get(2).operations().sum()).isEqualTo(16);
        assertThat(first.perSecond().get(3).operations().sum()).isEqualTo(16);
        assertThat(first.perSecond().get(3).errors().sum()).isEqualTo(2);
        assertThat(first.perSecond().get(6).operations().sum()).isEqualTo(16);
    }
}
