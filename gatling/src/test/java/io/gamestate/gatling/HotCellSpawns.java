package io.gamestate.gatling;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Where the hot-cell players join: uniformly within {@code spread} units of the node the scout
 * found, so every one of them has it within action range (8) and all share one cell.
 */
final class HotCellSpawns {

    private HotCellSpawns() {
    }

    static Iterator<Map<String, Object>> feeder(HotCell hotCell, double spread) {
        return Stream.generate(() -> {
            if (!hotCell.found()) {
                throw new IllegalStateException("the scout found no resource node to crowd (see its KO above)");
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            double angle = random.nextDouble(2 * Math.PI);
            double distance = spread * Math.sqrt(random.nextDouble());
            return Map.<String, Object>of("x", hotCell.nodeX() + distance * Math.cos(angle), "y", hotCell.nodeY() + distance * Math.sin(angle),
                    "nodeId", hotCell.nodeId());
        }).iterator();
    }
}
