package io.gamestate.common.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MortonTest {

    @Test
    void interleavingRoundTrips() {
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            long x = random.nextInt() & 0x7FFFFFFFL;
            long y = random.nextInt() & 0x7FFFFFFFL;
            long key = Morton.interleave(x) | (Morton.interleave(y) << 1);
            assertThat(Morton.x(key)).isEqualTo(x);
            assertThat(Morton.y(key)).isEqualTo(y);
            assertThat(key).isNotNegative();
        }
    }

    @Test
    void anAlignedQuadrantIsOneContiguousKeyRange() {
        // The top-right quadrant of the world [0.5, 1) x [0, 0.5) is the second quarter of the key space.
        long quarter = 1L << 60;
        assertThat(Morton.encode(0.5, 0.0)).isEqualTo(quarter);
        assertThat(Morton.encode(0.999999999, 0.499999999)).isLessThan(2 * quarter);
        assertThat(Morton.encode(0.25, 0.75)).isGreaterThanOrEqualTo(2 * quarter).isLessThan(3 * quarter);
    }

    @Test
    void fractionsOutsideTheUnitSquareClampToTheEdge() {
        assertThat(Morton.encode(-1, -1)).isZero();
        assertThat(Morton.encode(2, 2)).isEqualTo((1L << 62) - 1);
    }
}
