package io.gamestate.gatling;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Where players join: uniformly over the world, or (the hotspot share) crowded around a few towns,
 * as real players gather where the quests and shops are.
 */
final class SpawnPoints {

    private SpawnPoints() {
    }

    static Iterator<Map<String, Object>> feeder(double worldSize, double hotspotShare) {
        double[][] towns = {{worldSize / 4, worldSize / 4}, {3 * worldSize / 4, worldSize / 4}, {worldSize / 2, worldSize / 2},
            {worldSize / 4, 3 * worldSize / 4}};
        return Stream.generate(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            double x;
            double y;
            if (random.nextDouble() < hotspotShare) {
                double[] town = towns[random.nextInt(towns.length)];
                x = town[0] + random.nextGaussian() * 30;
                y = town[1] + random.nextGaussian() * 30;
            } else {
                x = random.nextDouble() * worldSize;
                y = random.nextDouble() * worldSize;
            }
            return Map.<String, Object>of("x", clamp(x, worldSize), "y", clamp(y, worldSize));
        }).iterator();
    }

    static double clamp(double v, double worldSize) {
        return Math.max(1, Math.min(worldSize - 1, v));
    }
}
