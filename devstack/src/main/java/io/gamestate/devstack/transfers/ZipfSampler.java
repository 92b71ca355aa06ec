package io.gamestate.devstack.transfers;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Exact Zipf over ranks 0..n-1: rank k (counted from 1) is drawn with probability k^-alpha / H(n, alpha).
 * The cumulative distribution is computed once; a draw is a binary search over it. Alpha 0 is uniform.
 */
public final class ZipfSampler {

    private final double[] cumulative;

    public ZipfSampler(int n, double alpha) {
        if (n < 1 || alpha < 0) {
            throw new IllegalArgumentException("a Zipf distribution needs n >= 1 and alpha >= 0, not n=" + n + ", alpha=" + alpha);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += Math.pow(k, -alpha);
            cumulative[k - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
        cumulative[n - 1] = 1.0; // no rounding gap above the last rank
    }

    /** A rank, 0 the most frequent. */
    public int next(RandomGenerator random) {
        double u = random.nextDouble();
        int i = Arrays.binarySearch(cumulative, u);
        // Not found: the insertion point is the first rank whose cumulative share exceeds u.
        // Found exactly: u is that rank's upper bound, which belongs to the next rank.
        return i < 0 ? -i - 1 : Math.min(i + 1, cumulative.length - 1);
    }

    /** The share of draws rank (0-based) gets in theory. */
    public double probability(int rank) {
        return rank == 0 ? cumulative[0] : cumulative[rank] - cumulative[rank - 1];
    }

    public int size() {
        return cumulative.length;
    }
}
