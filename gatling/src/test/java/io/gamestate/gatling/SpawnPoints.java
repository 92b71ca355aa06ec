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

    /** How far, per axis, the second of a pair joins from the first. */
    static final double PARTNER_SPREAD = 2;

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

    /**
     * The same points, but every second player joins a couple of units from the one before it, as
     * friends come online together: the pair sees each other at its first look, which is what makes
     * trades between players (who must stand within reach) happen in a short run too.
     */
    static Iterator<Map<String, Object>> inPairs(double worldSize, double hotspotShare) {
        Iterator<Map<String, Object>> points = feeder(worldSize, hotspotShare);
        return new Iterator<>() {
            private Map<String, Object> first;

            @Override
            public boolean hasNext() {
                return true;
            }

            // Gatling feeds one virtual user at a time, so this state needs no lock.
            @Override
            public Map<String, Object> next() {
                if (first == null) {
                    first = points.next();
                    return first;
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                Map<String, Object> partner = Map.of(
                        "x", clamp((double) first.get("x") + random.nextDouble(-PARTNER_SPREAD, PARTNER_SPREAD), worldSize),
                        "y", clamp((double) first.get("y") + random.nextDouble(-PARTNER_SPREAD, PARTNER_SPREAD), worldSize));
                first = null;
                return partner;
            }
        };
    }

    static double clamp(double v, double worldSize) {
        return Math.max(1, Math.min(worldSize - 1, v));
    }
}
