package io.gamestate.devstack.scorecard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.PrimitiveIterator;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

/** The wait after a bulk load ends when the writes' p50 stops falling, and never later than its longest. */
class ReadsUnderWritesTest {

    private static ReadsUnderWrites.Settled settle(Duration longest, double... passP50s) {
        PrimitiveIterator.OfDouble passes = DoubleStream.of(passP50s).iterator();
        return ReadsUnderWrites.untilWritesSettle(passes::nextDouble, longest);
    }

    @Test
    void aBacklogDrainsBeforeTheWindow() {
        ReadsUnderWrites.Settled settled = settle(Duration.ofMinutes(2), 1500, 48, 45, 44);
        assertThat(settled.passes()).isEqualTo(3);
        assertThat(settled.lastP50()).isEqualTo(45);
    }

    @Test
    void aP50StillFallingByMoreThanAFifthKeepsTheWarmupGoing() {
        assertThat(settle(Duration.ofMinutes(2), 900, 700, 540, 500).passes()).isEqualTo(4);
    }

    @Test
    void aStoreThatFallsBehindEndsTheWarmup() {
        assertThat(settle(Duration.ofMinutes(2), 40, 400, 4000).passes()).isEqualTo(2);
    }

    @Test
    void aPassWithNoWritesEndsTheWarmup() {
        assertThat(settle(Duration.ofMinutes(2), 40, Double.NaN, 30).passes()).isEqualTo(2);
    }

    @Test
    void theWarmupKeepsToItsLongest() {
        assertThat(settle(Duration.ZERO, 1000, 500, 250).passes()).isEqualTo(1);
    }
}
