package io.gamestate.query.service;

import io.gamestate.query.spatial.Regions;
import io.gamestate.proto.query.v1.BoxQuery;
import io.gamestate.proto.query.v1.EntityList;
import io.gamestate.proto.query.v1.NearestQuery;
import io.gamestate.proto.query.v1.RadiusQuery;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.Cell;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.query.config.QueryConfig;
import io.gamestate.query.repository.CellRepository;
import io.gamestate.query.repository.EntityRepository;
import io.gamestate.query.repository.EntityRepository.Order;
import io.gamestate.query.repository.EntityRepository.SpatialScan;
import io.gamestate.common.world.WorldGeometry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/** Spatial queries over placed entities, each a bounded set of Morton index range scans. */
@ApplicationScoped
public class EntityQueries {

    private final EntityRepository entities;
    private final CellRepository cells;
    private final WorldGeometry geometry;
    private final Arguments args;
    private final int maxRanges;

    public EntityQueries(EntityRepository entities, CellRepository cells, WorldGeometry geometry, Arguments args,
                         QueryConfig config) {
        this.entities = entities;
        this.cells = cells;
        this.geometry = geometry;
        this.args = args;
        this.maxRanges = config.query().mortonRanges();
    }

    public Uni<EntityList> inBox(BoxQuery q) {
        Bounds box = args.box(q.hasBox(), q.getBox(), "box");
        Set<Short> kinds = args.placedKinds(q.getKindsList(), q.getLayersList());
        int limit = args.limit(q.getLimit());
        if (box == null || kinds.isEmpty()) {
            return Uni.createFrom().item(EntityList.getDefaultInstance());
        }
        return limited(entities.scan(boxScan(box, kinds, limit + 1)), limit);
    }

    public Uni<EntityList> inRadius(RadiusQuery q) {
        Position center = args.inWorld(q.hasCenter(), q.getCenter(), "center");
        // Every point of the world is within the farthest corner: a larger radius changes nothing.
        double radius = Math.min(args.nonNegative(q.getRadius(), "radius"), farthestCorner(center));
        Set<Short> kinds = args.placedKinds(q.getKindsList(), q.getLayersList());
        int limit = args.limit(q.getLimit());
        Bounds box = Regions.clip(geometry, boxAround(center, radius));
        if (box == null || kinds.isEmpty()) {
            return Uni.createFrom().item(EntityList.getDefaultInstance());
        }
        return limited(entities.scan(scan(box, kinds, center, radius, Order.MORTON, limit + 1)), limit);
    }

    public Uni<EntityList> nearest(NearestQuery q) {
        Position center = args.inWorld(q.hasCenter(), q.getCenter(), "center");
        int k = args.k(q.getK());
        double maxRadius = args.nonNegative(q.getMaxRadius(), "max_radius");
        Set<Short> kinds = args.placedKinds(q.getKindsList(), q.getLayersList());
        if (kinds.isEmpty()) {
            return Uni.createFrom().item(EntityList.getDefaultInstance());
        }
        double searchLimit = maxRadius > 0 ? Math.min(maxRadius, farthestCorner(center)) : farthestCorner(center);
        return cells.leafAt(geometry.superblockAt(center.getX(), center.getY()), center.getX(), center.getY())
                .chain(leaf -> nearestWithin(center, kinds, k, firstRadius(leaf, k, searchLimit), searchLimit))
                .map(found -> EntityList.newBuilder().addAllEntities(found).build());
    }

    /**
     * A disc that holds about 2k entities if the leaf around the center is as crowded everywhere:
     * the partition tree splits crowded cells, so a leaf's count over its area is the local
     * density, and in a crowded town the first scan reads a few dozen rows instead of thousands.
     * Never larger than a quarter superblock, the start where the density is unknown.
     */
    private double firstRadius(Cell leaf, int k, double searchLimit) {
        double start = Math.min(geometry.superblockSize() / 4, searchLimit);
        if (leaf == null || leaf.getNumEntities() == 0) {
            return start;
        }
        Bounds b = leaf.getBounds();
        double density = leaf.getNumEntities() / ((b.getMaxX() - b.getMinX()) * (b.getMaxY() - b.getMinY()));
        return Math.min(start, Math.sqrt(2.0 * k / (Math.PI * density)));
    }

    /**
     * Expanding search: the k nearest inside a disc are the k nearest overall once the disc holds
     * k entities (everything outside is farther), so the disc doubles until it does or reaches
     * the search limit.
     */
    private Uni<List<Entity>> nearestWithin(Position center, Set<Short> kinds, int k, double radius, double searchLimit) {
        Bounds box = Regions.clip(geometry, boxAround(center, radius));
        Uni<List<Entity>> found = box == null ? Uni.createFrom().item(List.of())
                : entities.scan(scan(box, kinds, center, radius, Order.DISTANCE, k));
        return found.chain(list -> list.size() >= k || radius >= searchLimit
                ? Uni.createFrom().item(list)
                : nearestWithin(center, kinds, k, Math.min(2 * radius, searchLimit), searchLimit));
    }

    /** The scan EntitiesInBox runs for a clipped box (public so tests can EXPLAIN it). */
    public SpatialScan boxScan(Bounds box, Set<Short> kinds, int limit) {
        return scan(box, kinds, null, 0, Order.MORTON, limit);
    }

    private SpatialScan scan(Bounds box, Set<Short> kinds, Position center, double radius, Order order, int limit) {
        return new SpatialScan(Regions.keyRanges(geometry, box, maxRanges), box, kinds, center, radius * radius, order, limit);
    }

    /** The square around a disc, widened by a few ulps so rounding never cuts a point at exactly the radius. */
    private static Bounds boxAround(Position c, double radius) {
        double pad = 4 * Math.ulp(Math.max(Math.abs(c.getX()), Math.abs(c.getY())) + radius);
        return Bounds.newBuilder()
                .setMinX(c.getX() - radius - pad).setMaxX(c.getX() + radius + pad)
                .setMinY(c.getY() - radius - pad).setMaxY(c.getY() + radius + pad)
                .build();
    }

    private double farthestCorner(Position c) {
        double dx = Math.max(c.getX(), geometry.width() - c.getX());
        double dy = Math.max(c.getY(), geometry.height() - c.getY());
        return Math.hypot(dx, dy);
    }

    /** The query fetched limit + 1 rows: the extra one only says that more matched. */
    private static Uni<EntityList> limited(Uni<List<Entity>> fetched, int limit) {
        return fetched.map(list -> EntityList.newBuilder()
                .addAllEntities(list.size() > limit ? list.subList(0, limit) : list)
                .setTruncated(list.size() > limit)
                .build());
    }
}
