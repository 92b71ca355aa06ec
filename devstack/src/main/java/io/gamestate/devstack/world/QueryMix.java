package io.gamestate.devstack.world;

import io.gamestate.devstack.EnumNames;
import io.gamestate.devstack.scorecard.WindowRecorder;
import io.gamestate.devstack.StateLoad;
import io.gamestate.proto.query.v1.BoxQuery;
import io.gamestate.proto.query.v1.EntityList;
import io.gamestate.proto.query.v1.NearestQuery;
import io.gamestate.proto.query.v1.QueryService;
import io.gamestate.proto.query.v1.RadiusQuery;
import io.gamestate.proto.query.v1.RegionLayersQuery;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.Position;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The four read kinds a game client issues, at uniform random positions of the world: a box, a
 * radius, the k nearest and the stacked layers of a small region. Each call picks one of the
 * four at random; each kind's latency goes to its own recorder.
 */
public final class QueryMix {

    /** How big each read is. A box of fixed side holds more entities in a denser world: shrink it to read as many. */
    public record Shapes(double boxSide, double radius, int k, double regionSide) {
        public static final Shapes DEFAULT = new Shapes(64, 32, 8, 32);

        /**
         * The shapes that read as many entities in a world {@code factor} times as dense: box and
         * disc shrink by its square root. That is also how the same reads behave in a world grown
         * {@code factor} times in area at the same density (the Morton index is scale-free). The
         * region stays: its answer is whole cells, whatever its side.
         */
        public Shapes denser(double factor) {
            double shrink = Math.sqrt(factor);
            return new Shapes(boxSide / shrink, radius / shrink, k, regionSide);
        }
    }

    /** The recorders' keys. */
    public enum Kind {
        BOX, RADIUS, NEAREST, REGION;

        @Override
        public String toString() {
            return EnumNames.of(this);
        }
    }

    private static final Kind[] KINDS = Kind.values();

    private final QueryService query;
    private final double width;
    private final double height;
    private final Shapes shapes;

    public QueryMix(QueryService query, double worldWidth, double worldHeight, Shapes shapes) {
        this.query = query;
        this.width = worldWidth;
        this.height = worldHeight;
        this.shapes = shapes;
    }

    /** One kind's measured window and the entities its answers in that window held. */
    public record Reads(WindowRecorder window, LongAdder entities) {

        public double entitiesPerAnswer() {
            long answers = window.operations() - window.errors();
            return answers == 0 ? 0 : (double) entities.sum() / answers;
        }
    }

    /**
     * Starts calls at {@code perSecond} for warmup, then for measured, each timed from when it was
     * due ({@link StateLoad#atRate}); returns per kind ({@link Kind#toString}: box, radius,
     * nearest, region) the calls started in the measured window.
     */
    public Map<String, Reads> run(double perSecond, Duration warmup, Duration measured) {
        long windowStart = System.nanoTime() + warmup.toNanos();
        Map<String, Reads> reads = new LinkedHashMap<>();
        for (Kind kind : KINDS) {
            reads.put(kind.toString(), new Reads(new WindowRecorder(windowStart), new LongAdder()));
        }
        StateLoad.atRate(perSecond, windowStart + measured.toNanos(), warmup.plus(measured).plusMinutes(1), due -> call(due, reads));
        return reads;
    }

    private Uni<?> call(long due, Map<String, Reads> reads) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Kind kind = KINDS[random.nextInt(KINDS.length)];
        Reads read = reads.get(kind.toString());
        return call(kind, random).onItemOrFailure().invoke((entities, failure) -> {
            read.window().call(due, 1);
            if (failure != null) {
                read.window().error(due, Status.fromThrowable(failure).getCode().name());
            } else if (read.window().inWindow(due)) {
                read.entities().add(entities);
            }
        }).onFailure().recoverWithNull();
    }

    /** The call; its answer is how many entities it holds. */
    private Uni<Integer> call(Kind kind, ThreadLocalRandom random) {
        return switch (kind) {
            case BOX -> query.entitiesInBox(BoxQuery.newBuilder().setBox(square(random, shapes.boxSide())).build())
                    .map(EntityList::getEntitiesCount);
            case RADIUS -> query.entitiesInRadius(RadiusQuery.newBuilder().setCenter(point(random)).setRadius(shapes.radius()).build())
                    .map(EntityList::getEntitiesCount);
            case NEAREST -> query.nearestEntities(NearestQuery.newBuilder().setCenter(point(random)).setK(shapes.k()).build())
                    .map(EntityList::getEntitiesCount);
            case REGION -> query.regionLayers(RegionLayersQuery.newBuilder().setRegion(square(random, shapes.regionSide())).build())
                    .map(layers -> layers.getCellsList().stream().mapToInt(c -> c.getEntitiesCount() + c.getResourcesCount()).sum());
        };
    }

    private Position point(ThreadLocalRandom random) {
        return Position.newBuilder().setX(random.nextDouble(width)).setY(random.nextDouble(height)).build();
    }

    /** A square of the given side wholly inside the world. */
    private Bounds square(ThreadLocalRandom random, double side) {
        double minX = random.nextDouble(width - side);
        double minY = random.nextDouble(height - side);
        return Bounds.newBuilder().setMinX(minX).setMinY(minY).setMaxX(minX + side).setMaxY(minY + side).build();
    }
}
