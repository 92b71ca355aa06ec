package io.gamestate.devstack.world;

import io.gamestate.devstack.scorecard.WindowRecorder;
import io.gamestate.proto.query.v1.BoxQuery;
import io.gamestate.proto.query.v1.NearestQuery;
import io.gamestate.proto.query.v1.QueryService;
import io.gamestate.proto.query.v1.RadiusQuery;
import io.gamestate.proto.query.v1.RegionLayersQuery;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.Position;
import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The four read kinds a game client issues, at uniform random positions of the world: a box, a
 * radius, the k nearest and the stacked layers of a small region. Each call picks one of the
 * chosen kinds at random; each kind's latency goes to its own recorder.
 */
public final class QueryMix {

    /** How big each read is. A box of fixed side holds more entities in a denser world: shrink it to read as many. */
    public record Shapes(double boxSide, double radius, int k, double regionSide) {
        public static final Shapes DEFAULT = new Shapes(64, 32, 8, 32);
    }

    /** The recorders' keys. */
    public enum Kind {
        BOX, RADIUS, NEAREST, REGION;

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    private final QueryService query;
    private final double width;
    private final double height;
    private final Kind[] kinds;
    private final Shapes shapes;

    public QueryMix(QueryService query, double worldWidth, double worldHeight) {
        this(query, worldWidth, worldHeight, EnumSet.allOf(Kind.class), Shapes.DEFAULT);
    }

    /** Only the given kinds: a box-only run shows the box's own latency, without the heavier reads beside it. */
    public QueryMix(QueryService query, double worldWidth, double worldHeight, Set<Kind> kinds, Shapes shapes) {
        this.query = query;
        this.width = worldWidth;
        this.height = worldHeight;
        this.kinds = kinds.toArray(Kind[]::new);
        this.shapes = shapes;
    }

    /**
     * Keeps inFlight calls running for warmup, then for measured; returns one recorder per chosen
     * kind ({@link Kind#toString}: box, radius, nearest, region) holding the calls started in the measured window.
     */
    public Map<String, WindowRecorder> run(int inFlight, Duration warmup, Duration measured) {
        long windowStart = System.nanoTime() + warmup.toNanos();
        long end = windowStart + measured.toNanos();
        Map<String, WindowRecorder> recorders = new LinkedHashMap<>();
        for (Kind kind : kinds) {
            recorders.put(kind.toString(), new WindowRecorder(windowStart));
        }
        List<Multi<Integer>> workers = new ArrayList<>();
        for (int w = 0; w < inFlight; w++) {
            workers.add(Multi.createBy().repeating().uni(() -> nextCall(recorders)).whilst(ignored -> System.nanoTime() < end));
        }
        Multi.createBy().merging().streams(workers).collect().last().await().atMost(warmup.plus(measured).plusMinutes(1));
        return recorders;
    }

    private Uni<Integer> nextCall(Map<String, WindowRecorder> recorders) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Kind kind = kinds[random.nextInt(kinds.length)];
        WindowRecorder recorder = recorders.get(kind.toString());
        long t0 = System.nanoTime();
        return call(kind, random).onItemOrFailure().invoke((answer, failure) -> {
            recorder.call(t0, 1);
            if (failure != null) {
                recorder.error(t0, Status.fromThrowable(failure).getCode().name());
            }
        }).map(answer -> 1).onFailure().recoverWithItem(1);
    }

    private Uni<?> call(Kind kind, ThreadLocalRandom random) {
        return switch (kind) {
            case BOX -> query.entitiesInBox(BoxQuery.newBuilder().setBox(square(random, shapes.boxSide())).build());
            case RADIUS -> query.entitiesInRadius(RadiusQuery.newBuilder().setCenter(point(random)).setRadius(shapes.radius()).build());
            case NEAREST -> query.nearestEntities(NearestQuery.newBuilder().setCenter(point(random)).setK(shapes.k()).build());
            case REGION -> query.regionLayers(RegionLayersQuery.newBuilder().setRegion(square(random, shapes.regionSide())).build());
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
