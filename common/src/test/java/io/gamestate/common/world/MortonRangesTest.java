package io.gamestate.common.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The key ranges of a rectangle hold the key of every cell inside it, within the range budget. */
class MortonRangesTest {

    @Test
    void rangesCoverEveryCellOfTheRectangleWithinTheBudget() {
        Random random = new Random(11);
        for (int i = 0; i < 300; i++) {
            long x0 = random.nextInt(1 << 20) + (i % 2 == 0 ? 0 : (1L << 30));
            long y0 = random.nextInt(1 << 20);
            long x1 = x0 + random.nextInt(40);
            long y1 = y0 + random.nextInt(40);
            int budget = 1 + random.nextInt(16);
            List<KeyRange> ranges = MortonRanges.cover(x0, y0, x1, y1, budget);
            assertThat(ranges.size()).isBetween(1, budget);
            for (int r = 1; r < ranges.size(); r++) {
                assertThat(ranges.get(r).lo()).isGreaterThan(ranges.get(r - 1).hi() + 1);
            }
            for (long x = x0; x <= x1; x++) {
                for (long y = y0; y <= y1; y++) {
                    long key = Morton.key(x, y);
                    assertThat(ranges).as("cell (%d, %d) of [%d..%d] x [%d..%d]", x, y, x0, x1, y0, y1)
                            .anyMatch(range -> key >= range.lo() && key <= range.hi());
                }
            }
        }
    }

    @Test
    void anAlignedSquareIsOneExactRange() {
        List<KeyRange> ranges = MortonRanges.cover(64, 128, 127, 191, 16);
        assertThat(ranges).containsExactly(new KeyRange(Morton.key(64, 128), Morton.key(127, 191)));
    }
}
