package io.gamestate.query.spatial;

import io.gamestate.common.world.KeyRange;
import io.gamestate.common.world.WorldGeometry;
import io.gamestate.proto.state.v1.Bounds;
import java.util.List;

/** The world's arithmetic applied to the regions clients send ({@link Bounds}). */
public final class Regions {

    private Regions() {
    }

    /** The box cut to the world; null when nothing of it is inside. */
    public static Bounds clip(WorldGeometry world, Bounds box) {
        double minX = Math.max(0, box.getMinX());
        double minY = Math.max(0, box.getMinY());
        double maxX = Math.min(world.width(), box.getMaxX());
        double maxY = Math.min(world.height(), box.getMaxY());
        if (minX >= maxX || minY >= maxY) {
            return null;
        }
        return Bounds.newBuilder().setMinX(minX).setMinY(minY).setMaxX(maxX).setMaxY(maxY).build();
    }

    public static List<Integer> superblocks(WorldGeometry world, Bounds box) {
        return world.superblocksIn(box.getMinX(), box.getMinY(), box.getMaxX(), box.getMaxY());
    }

    public static long superblockCount(WorldGeometry world, Bounds box) {
        return world.superblockCount(box.getMinX(), box.getMinY(), box.getMaxX(), box.getMaxY());
    }

    public static List<KeyRange> keyRanges(WorldGeometry world, Bounds box, int maxRanges) {
        return world.keyRanges(box.getMinX(), box.getMinY(), box.getMaxX(), box.getMaxY(), maxRanges);
    }
}
