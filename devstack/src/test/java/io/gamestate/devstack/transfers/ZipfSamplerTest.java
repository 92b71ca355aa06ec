package io.gamestate.devstack.transfers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ZipfSamplerTest {

    static final int PLAYERS = 20_000;
    static final int DRAWS = 1_000_000;

    @Test
    void alphaZeroIsRoughlyUniform() {
        int[] counts = draw(new ZipfSampler(PLAYERS, 0), DRAWS);
        double expected = (double) DRAWS / PLAYERS; // 50 a rank
        int lowest = Integer.MAX_VALUE;
        int highest = 0;
        for (int c : counts) {
            lowest = Math.min(lowest, c);
            highest = Math.max(highest, c);
        }
        // Binomial(1e6, 1/20000): sd about 7; over 20,000 ranks the extremes stay within about 4.5 sd.
        assertThat(lowest).isGreaterThan((int) (expected - 40));
        assertThat(highest).isLessThan((int) (expected + 40));
        // The first tenth of the ranks gets a tenth of the draws.
        long firstTenth = 0;
        for (int i = 0; i < PLAYERS / 10; i++) {
            firstTenth += counts[i];
        }
        assertThat(firstTenth / (double) DRAWS).isCloseTo(0.1, within(0.003));
    }

    @Test
    void alphaOneAndAHalfPutsMostDrawsOnTheFewFirstRanks() {
        ZipfSampler zipf = new ZipfSampler(PLAYERS, 1.5);
        // 1 / H(20000, 1.5): about 0.385, close to 1 / zeta(1.5) = 0.383.
        assertThat(zipf.probability(0)).isCloseTo(0.385, within(0.002));
        assertThat(zipf.probability(1)).isCloseTo(zipf.probability(0) / Math.pow(2, 1.5), within(1e-12));

        int[] counts = draw(zipf, DRAWS);
        assertThat(counts[0] / (double) DRAWS).isCloseTo(zipf.probability(0), within(0.003));
        assertThat(counts[1] / (double) DRAWS).isCloseTo(zipf.probability(1), within(0.003));
        long firstTen = 0;
        for (int i = 0; i < 10; i++) {
            firstTen += counts[i];
        }
        assertThat(firstTen / (double) DRAWS).isGreaterThan(0.6);
        assertThat(counts[PLAYERS - 1]).isLessThan(10);
    }

    @Test
    void theSharesSumToOneAndEveryDrawIsARank() {
        ZipfSampler zipf = new ZipfSampler(7, 1.5);
        double sum = 0;
        for (int i = 0; i < zipf.size(); i++) {
            sum += zipf.probability(i);
        }
        assertThat(sum).isCloseTo(1.0, within(1e-12));
        assertThat(draw(new ZipfSampler(1, 0), 100)[0]).isEqualTo(100);
    }

    private static int[] draw(ZipfSampler zipf, int draws) {
        Random random = new Random(42);
        int[] counts = new int[zipf.size()];
        for (int i = 0; i < draws; i++) {
            counts[zipf.next(random)]++;
        }
        return counts;
    }
}
