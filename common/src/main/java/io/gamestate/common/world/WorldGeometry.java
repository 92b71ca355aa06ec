package io.gamestate.common.world;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** The world's arithmetic: extent, the fixed superblock grid, Morton keys and key ranges. */
@ApplicationScoped
public class WorldGeometry {

    private final double width;
    private final double height;
    private final double superblockSize;
    private final int superblocksX;
    private final int superblocksY;

    @Inject
    public WorldGeometry(WorldConfig config) {
        this(config.width(), config.height(), config.superblockSize());
    }

    /** The geometry of a world already created, as its {@code world} row describes it. */
    public WorldGeometry(double width, double height, double superblockSize) {
        this.width = width;
        this.height = height;
        this.superblockSize = superblockSize;
        this.superblocksX = (int) Math.ceil(width / superblockSize);
        this.superblocksY = (int) Math.ceil(height / superblockSize);
    }

    /** Inside the half-open world; NaN and infinities are outside. */
    public boolean contains(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && x >= 0 && y >= 0 && x < width && y < height;
    }

    public int superblockAt(double x, double y) {
        int sx = Math.min(superblocksX - 1, (int) (x / superblockSize));
        int sy = Math.min(superblocksY - 1, (int) (y / superblockSize));
        return sy * superblocksX + sx;
    }

    /** Superblocks a half-open box inside the world intersects, ascending. */
    public List<Integer> superblocksIn(double minX, double minY, double maxX, double maxY) {
        int[] span = superblockSpan(minX, minY, maxX, maxY);
        List<Integer> out = new ArrayList<>();
        for (int sy = span[1]; sy <= span[3]; sy++) {
            for (int sx = span[0]; sx <= span[2]; sx++) {
                out.add(sy * superblocksX + sx);
            }
        }
        return out;
    }

    /** How many superblocks a box inside the world intersects, without listing them. */
    public long superblockCount(double minX, double minY, double maxX, double maxY) {
        int[] span = superblockSpan(minX, minY, maxX, maxY);
        return (long) (span[2] - span[0] + 1) * (span[3] - span[1] + 1);
    }

    /** First and last superblock column and row: {sx0, sy0, sx1, sy1}. */
    private int[] superblockSpan(double minX, double minY, double maxX, double maxY) {
        return new int[] {(int) (minX / superblockSize), (int) (minY / superblockSize),
            Math.min(superblocksX - 1, (int) Math.ceil(maxX / superblockSize) - 1),
            Math.min(superblocksY - 1, (int) Math.ceil(maxY / superblockSize) - 1)};
    }

    /** Morton key ranges covering every point of a half-open box inside the world. */
    public List<KeyRange> keyRanges(double minX, double minY, double maxX, double maxY, int maxRanges) {
        // Quantization is monotonic: x in [minX, maxX) quantizes into [q(minX), q(maxX)].
        return MortonRanges.cover(Morton.quantize(minX / width), Morton.quantize(minY / height),
                Morton.quantize(maxX / width), Morton.quantize(maxY / height), maxRanges);
    }

    public long morton(double x, double y) {
        return Morton.encode(x / width, y / height);
    }

    /** Superblocks are numbered row by row from 0; their root cells get id superblock + 1. */
    public static long rootCellId(int superblockId) {
        return superblockId + 1L;
    }

    public int superblockCount() {
        return superblocksX * superblocksY;
    }

    public int superblocksX() {
        return superblocksX;
    }

    public int superblocksY() {
        return superblocksY;
    }

    public double width() {
        return width;
    }

    public double height() {
        return height;
    }

    public double superblockSize() {
        return superblockSize;
    }
}
