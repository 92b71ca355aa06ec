package io.gamestate.common.world;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Covers a rectangle of quantized cells with at most a given number of Morton key ranges by
 * descending the implicit quadtree: an aligned quadtree square is one contiguous key range, so
 * the squares the rectangle fully contains are exact, and the squares it only overlaps are
 * refined, largest first, while the budget allows. What the ranges cover beyond the rectangle is
 * removed by the exact coordinate filter of the query.
 */
public final class MortonRanges {

    private MortonRanges() {
    }

    /** A quadtree square: quantized cells [x << level, (x + 1) << level) on both axes. */
    private record Square(int level, long x, long y) {
        long min(long v) {
            return v << level;
        }

        long max(long v) {
            return ((v + 1) << level) - 1;
        }

        boolean inside(long qx0, long qy0, long qx1, long qy1) {
            return min(x) >= qx0 && max(x) <= qx1 && min(y) >= qy0 && max(y) <= qy1;
        }

        boolean overlaps(long qx0, long qy0, long qx1, long qy1) {
            return min(x) <= qx1 && max(x) >= qx0 && min(y) <= qy1 && max(y) >= qy0;
        }

        KeyRange keys() {
            long lo = Morton.key(min(x), min(y));
            return new KeyRange(lo, lo + (1L << (2 * level)) - 1);
        }
    }

    /** Ranges, ascending and merged when adjacent, covering quantized cells [qx0, qx1] x [qy0, qy1]. */
    public static List<KeyRange> cover(long qx0, long qy0, long qx1, long qy1, int maxRanges) {
        List<Square> done = new ArrayList<>();
        PriorityQueue<Square> partial = new PriorityQueue<>(Comparator.comparingInt(Square::level).reversed());
        partial.add(new Square(Morton.BITS, 0, 0));
        while (!partial.isEmpty()) {
            Square s = partial.peek();
            // Only squares above level 0 are partial: a single cell that overlaps is inside.
            List<Square> children = new ArrayList<>(4);
            for (int i = 0; i < 4; i++) {
                Square c = new Square(s.level() - 1, 2 * s.x() + (i & 1), 2 * s.y() + (i >> 1));
                if (c.overlaps(qx0, qy0, qx1, qy1)) {
                    children.add(c);
                }
            }
            if (done.size() + partial.size() - 1 + children.size() > maxRanges) {
                break;
            }
            partial.poll();
            for (Square c : children) {
                (c.inside(qx0, qy0, qx1, qy1) ? done : partial).add(c);
            }
        }
        done.addAll(partial);
        return merged(done.stream().map(Square::keys).sorted(Comparator.comparingLong(KeyRange::lo)).toList());
    }

    private static List<KeyRange> merged(List<KeyRange> sorted) {
        List<KeyRange> out = new ArrayList<>();
        for (KeyRange r : sorted) {
            KeyRange last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.hi() + 1 == r.lo()) {
                out.set(out.size() - 1, new KeyRange(last.lo(), r.hi()));
            } else {
                out.add(r);
            }
        }
        return out;
    }
}
