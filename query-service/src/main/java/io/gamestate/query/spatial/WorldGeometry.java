package io.gamestate.query.spatial;

import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.query.config.QueryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** The world's arithmetic as state-service defines it: extent, the fixed superblock grid, Morton keys. */
@ApplicationScoped
public class WorldGeometry {

    private final double width;
    private final double height;
    private final double superblockSize;
    private final int superblocksX;
    private final int superblocksY;

    public WorldGeometry(QueryConfig config) {
        this.width = config.world().width();
        this.height = config.world().height();
        this.superblockSize = config.world().superblockSize();
        this.superblocksX = (int) Math.ceil(width / superblockSize);
        this.superblocksY = (int) Math.ceil(height / superblockSize);
    }

    public boolean contains(double x, double y) {
        return x >= 0 && y >= 0 && x < width && y < height;
    }

    public int superblockAt(double x, double y) {
        int sx = Math.min(superblocksX - 1, (int) (x / superblockSize));
        int sy = Math.min(superblocksY - 1, (int) (y / superblockSize));
        return sy * superblocksX + sx;
    }

    /** Superblocks a half-open box (already clipped to the world) intersects, ascending. */
    public List<Integer> superblocksIn(Bounds box) {
        int[] span = superblockSpan(box);
        List<Integer> out = new ArrayList<>();
        for (int sy = span[1]; sy <= span[3]; sy++) {
            for (int sx = span[0]; sx <= span[2]; sx++) {
                out.add(sy * superblocksX + sx);
            }
        }
        return out;
    }

    /** How many superblocks a clipped box intersects, without listing them. */
    public long superblockCount(Bounds box) {
        int[] span = superblockSpan(box);
        return (long) (span[2] - span[0] + 1) * (span[3] - span[1] + 1);
    }

    /** First and last superblock column and row: {sx0, sy0, sx1, sy1}. */
    private int[] superblockSpan(Bounds box) {
        return new int[] {(int) (box.getMinX() / superblockSize), (int) (box.getMinY() / superblockSize),
            Math.min(superblocksX - 1, (int) Math.ceil(box.getMaxX() / superblockSize) - 1),
            Math.min(superblocksY - 1, (int) Math.ceil(box.getMaxY() / superblockSize) - 1)};
    }

    /** The box cut to the world; null when nothing of it is inside. */
    public Bounds clip(Bounds box) {
        double minX = Math.max(0, box.getMinX());
        double minY = Math.max(0, box.getMinY());
        double maxX = Math.min(width, box.getMaxX());
        double maxY = Math.min(height, box.getMaxY());
        if (minX >= maxX || minY >= maxY) {
            return null;
        }
        return Bounds.newBuilder().setMinX(minX).setMinY(minY).setMaxX(maxX).setMaxY(maxY).build();
    }

    /** Morton key ranges covering every point of a clipped half-open box. */
    public List<KeyRange> keyRanges(Bounds box, int maxRanges) {
        // Quantization is monotonic: x in [minX, maxX) quantizes into [q(minX), q(maxX)].
        return MortonRanges.cover(Morton.quantize(box.getMinX() / width), Morton.quantize(box.getMinY() / height),
                Morton.quantize(box.getMaxX() / width), Morton.quantize(box.getMaxY() / height), maxRanges);
    }

    public long morton(double x, double y) {
        return Morton.encode(x / width, y / height);
    }

    public int superblockCount() {
        return superblocksX * superblocksY;
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
