package io.gamestate.state.world;

import io.gamestate.state.config.StateConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Pure arithmetic of the world: bounds, the fixed superblock grid, Morton keys. */
@ApplicationScoped
public class WorldGeometry {

    private final double width;
    private final double height;
    private final double superblockSize;
    private final int superblocksX;
    private final int superblocksY;

    public WorldGeometry(StateConfig config) {
        this.width = config.world().width();
        this.height = config.world().height();
        this.superblockSize = config.world().superblockSize();
        this.superblocksX = (int) Math.ceil(width / superblockSize);
        this.superblocksY = (int) Math.ceil(height / superblockSize);
    }

    public boolean contains(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && x >= 0 && y >= 0 && x < width && y < height;
    }

    public int superblockAt(double x, double y) {
        int sx = Math.min(superblocksX - 1, (int) (x / superblockSize));
        int sy = Math.min(superblocksY - 1, (int) (y / superblockSize));
        return sy * superblocksX + sx;
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
