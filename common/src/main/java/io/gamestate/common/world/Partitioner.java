package io.gamestate.common.world;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * AV1-style partition choice for a crowded cell. The "content" that AV1 balances is picture detail;
 * here it is load: the type chosen is the one that leaves every child at most half the split
 * threshold with the fewest children, so cells stay few and full; if no type manages that, the one
 * with the lightest busiest child. Children narrower than the minimum cell size are never made.
 * Unlike AV1, where only SPLIT recurses, every leaf may split again: crowds move. Shared by
 * state-service's splits and devstack's bulk loader, so both cut cells the same way.
 */
public final class Partitioner {

    /**
     * The AV1 partition types, in the order and with the numbers of state.proto's PartitionType
     * (the value of {@code cell.partition_type}); common has no generated proto code, so they are
     * repeated here. The order breaks ties between equally good types.
     */
    public enum Type {
        NONE, SPLIT, HORZ, VERT, HORZ_4, VERT_4, HORZ_A, HORZ_B, VERT_A, VERT_B;

        public int number() {
            return ordinal();
        }
    }

    /** A child rectangle, half-open like every cell. */
    public record Rect(double minX, double minY, double maxX, double maxY) {
        public boolean contains(double x, double y) {
            return x >= minX && x < maxX && y >= minY && y < maxY;
        }

        double width() {
            return maxX - minX;
        }

        double height() {
            return maxY - minY;
        }
    }

    /** A partition type applied to one cell: its children in LCRS order. */
    public record Choice(Type type, List<Rect> children, int[] counts) {
        public int busiest() {
            int max = 0;
            for (int c : counts) {
                max = Math.max(max, c);
            }
            return max;
        }
    }

    private Partitioner() {
    }

    /** The best partition of cell for the given entity positions, or null if no type fits the minimum size. */
    public static Choice choose(Rect cell, List<double[]> positions, int splitThreshold, double minCellSize) {
        List<Choice> candidates = new ArrayList<>();
        for (Type type : Type.values()) {
            List<Rect> children = children(cell, type);
            if (type != Type.NONE && fits(children, minCellSize)) {
                candidates.add(new Choice(type, children, count(children, positions)));
            }
        }
        Comparator<Choice> fewestChildren = Comparator.comparingInt(c -> c.children().size());
        Comparator<Choice> lightest = Comparator.comparingInt(Choice::busiest);
        return candidates.stream()
                .filter(c -> c.busiest() <= splitThreshold / 2)
                .min(fewestChildren.thenComparing(lightest))
                .orElseGet(() -> candidates.stream().min(lightest.thenComparing(fewestChildren)).orElse(null));
    }

    /** Whether any type can cut the cell without a child below the minimum size: if not, choose is null whatever the crowd. */
    public static boolean canSplit(Rect cell, double minCellSize) {
        for (Type type : Type.values()) {
            if (type != Type.NONE && fits(children(cell, type), minCellSize)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fits(List<Rect> children, double minCellSize) {
        return children.stream().allMatch(r -> r.width() >= minCellSize && r.height() >= minCellSize);
    }

    /** The children of a cell for each AV1 partition type. */
    public static List<Rect> children(Rect c, Type type) {
        double midX = (c.minX() + c.maxX()) / 2;
        double midY = (c.minY() + c.maxY()) / 2;
        return switch (type) {
            case SPLIT -> List.of(
                    new Rect(c.minX(), c.minY(), midX, midY), new Rect(midX, c.minY(), c.maxX(), midY),
                    new Rect(c.minX(), midY, midX, c.maxY()), new Rect(midX, midY, c.maxX(), c.maxY()));
            case HORZ -> List.of(
                    new Rect(c.minX(), c.minY(), c.maxX(), midY), new Rect(c.minX(), midY, c.maxX(), c.maxY()));
            case VERT -> List.of(
                    new Rect(c.minX(), c.minY(), midX, c.maxY()), new Rect(midX, c.minY(), c.maxX(), c.maxY()));
            case HORZ_4 -> strips(c, false);
            case VERT_4 -> strips(c, true);
            case HORZ_A -> List.of(
                    new Rect(c.minX(), c.minY(), midX, midY), new Rect(midX, c.minY(), c.maxX(), midY),
                    new Rect(c.minX(), midY, c.maxX(), c.maxY()));
            case HORZ_B -> List.of(
                    new Rect(c.minX(), c.minY(), c.maxX(), midY),
                    new Rect(c.minX(), midY, midX, c.maxY()), new Rect(midX, midY, c.maxX(), c.maxY()));
            case VERT_A -> List.of(
                    new Rect(c.minX(), c.minY(), midX, midY), new Rect(c.minX(), midY, midX, c.maxY()),
                    new Rect(midX, c.minY(), c.maxX(), c.maxY()));
            case VERT_B -> List.of(
                    new Rect(c.minX(), c.minY(), midX, c.maxY()),
                    new Rect(midX, c.minY(), c.maxX(), midY), new Rect(midX, midY, c.maxX(), c.maxY()));
            case NONE -> List.of(c);
        };
    }

    private static List<Rect> strips(Rect c, boolean vertical) {
        List<Rect> out = new ArrayList<>(4);
        for (int i = 0; i < 4; i++) {
            if (vertical) {
                double w = c.width() / 4;
                out.add(new Rect(c.minX() + i * w, c.minY(), i == 3 ? c.maxX() : c.minX() + (i + 1) * w, c.maxY()));
            } else {
                double h = c.height() / 4;
                out.add(new Rect(c.minX(), c.minY() + i * h, c.maxX(), i == 3 ? c.maxY() : c.minY() + (i + 1) * h));
            }
        }
        return out;
    }

    private static int[] count(List<Rect> children, List<double[]> positions) {
        int[] counts = new int[children.size()];
        for (double[] p : positions) {
            for (int i = 0; i < children.size(); i++) {
                if (children.get(i).contains(p[0], p[1])) {
                    counts[i]++;
                    break;
                }
            }
        }
        return counts;
    }
}
