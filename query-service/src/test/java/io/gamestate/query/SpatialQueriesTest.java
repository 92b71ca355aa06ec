package io.gamestate.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamestate.proto.query.v1.BoxQuery;
import io.gamestate.proto.query.v1.EntityList;
import io.gamestate.proto.query.v1.NearestQuery;
import io.gamestate.proto.query.v1.RadiusQuery;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Layer;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.query.TestWorld.Placed;
import io.gamestate.query.repository.EntityRepository;
import io.gamestate.query.repository.EntityRepository.Statement;
import io.gamestate.store.StoreFamily;
import io.gamestate.store.SqlDialect;
import io.gamestate.query.service.EntityQueries;
import io.gamestate.common.world.WorldGeometry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Box, radius and nearest answers equal brute force over a randomized world; the box query uses the Morton index. */
@QuarkusTest
class SpatialQueriesTest {

    static final List<EntityKind> PLACED = List.of(EntityKind.ENTITY_KIND_PLAYER, EntityKind.ENTITY_KIND_NPC,
            EntityKind.ENTITY_KIND_RESOURCE_NODE, EntityKind.ENTITY_KIND_GUILD);
    static final double[] SIZES = {1, 10, 64, 300, 1500};
    static List<Placed> seeded;

    @Inject
    TestWorld world;

    @Inject
    EntityRepository repository;

    @Inject
    EntityQueries queries;

    @Inject
    SqlDialect dialect;

    @Inject
    Pool pool;

    @Inject
    WorldGeometry geometry;

    final Random random = new Random(42);

    @BeforeEach
    void seedOnce() {
        if (seeded != null) {
            return;
        }
        world.reset();
        Random r = new Random(7);
        List<double[]> specs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            double x;
            double y;
            if (i % 5 == 0) { // on whole coordinates, so box edges hit points exactly
                x = r.nextInt(4096);
                y = r.nextInt(4096);
            } else if (i % 3 == 0) { // a crowded town
                x = 1000 + r.nextDouble() * 60;
                y = 2000 + r.nextDouble() * 60;
            } else {
                x = r.nextDouble() * 4096;
                y = r.nextDouble() * 4096;
            }
            specs.add(new double[] {PLACED.get(r.nextInt(4)).getNumber(), x, y, r.nextInt(100), r.nextInt(50)});
        }
        seeded = world.placeAll(specs);
    }

    @Test
    void boxesEqualBruteForce() {
        for (int i = 0; i < 150; i++) {
            Bounds box = randomBox();
            List<EntityKind> kinds = randomKinds();
            int limit = i % 10 == 0 ? 1 + random.nextInt(20) : 0;
            EntityList got = world.client().entitiesInBox(BoxQuery.newBuilder().setBox(box).addAllKinds(kinds)
                    .setLimit(limit).build()).await().atMost(TestWorld.WAIT);
            List<Placed> expected = matching(p -> p.x() >= box.getMinX() && p.x() < box.getMaxX()
                    && p.y() >= box.getMinY() && p.y() < box.getMaxY(), kinds, Comparator.comparingLong(Placed::morton));
            assertMatches(got, expected, limit == 0 ? 1000 : limit, "box " + box + " kinds " + kinds);
        }
    }

    @Test
    void radiiEqualBruteForce() {
        for (int i = 0; i < 150; i++) {
            Position c = randomPoint();
            double radius = i % 7 == 0 ? random.nextInt(40) : random.nextDouble() * (i % 2 == 0 ? 40 : 400);
            List<EntityKind> kinds = randomKinds();
            EntityList got = world.client().entitiesInRadius(RadiusQuery.newBuilder().setCenter(c).setRadius(radius)
                    .addAllKinds(kinds).build()).await().atMost(TestWorld.WAIT);
            List<Placed> expected = matching(p -> squaredDistance(p, c) <= radius * radius, kinds,
                    Comparator.comparingLong(Placed::morton));
            assertMatches(got, expected, 1000, "center " + c + " radius " + radius);
        }
    }

    @Test
    void nearestEqualsBruteForce() {
        for (int i = 0; i < 150; i++) {
            Position c = randomPoint();
            int k = 1 + random.nextInt(100);
            double maxRadius = i % 4 == 0 ? random.nextDouble() * 200 : 0;
            List<EntityKind> kinds = randomKinds();
            EntityList got = world.client().nearestEntities(NearestQuery.newBuilder().setCenter(c).setK(k)
                    .setMaxRadius(maxRadius).addAllKinds(kinds).build()).await().atMost(TestWorld.WAIT);
            List<Placed> expected = matching(p -> maxRadius == 0 || squaredDistance(p, c) <= maxRadius * maxRadius, kinds,
                    Comparator.<Placed>comparingDouble(p -> squaredDistance(p, c)).thenComparingLong(Placed::id));
            assertThat(got.getEntitiesList().stream().map(Entity::getId).toList())
                    .as("center %s k %d max_radius %s", c, k, maxRadius)
                    .containsExactlyElementsOf(expected.stream().limit(k).map(Placed::id).toList());
        }
    }

    @Test
    void layersFilterByKind() {
        Bounds town = Bounds.newBuilder().setMinX(1000).setMinY(2000).setMaxX(1060).setMaxY(2060).build();
        EntityList resources = world.client().entitiesInBox(BoxQuery.newBuilder().setBox(town)
                .addLayers(Layer.LAYER_RESOURCES).build()).await().atMost(TestWorld.WAIT);
        assertThat(resources.getEntitiesList()).isNotEmpty()
                .allMatch(e -> e.getKind() == EntityKind.ENTITY_KIND_RESOURCE_NODE);
        EntityList none = world.client().entitiesInBox(BoxQuery.newBuilder().setBox(town)
                .addLayers(Layer.LAYER_RESOURCES).addKinds(EntityKind.ENTITY_KIND_PLAYER).build()).await().atMost(TestWorld.WAIT);
        assertThat(none.getEntitiesList()).isEmpty();
    }

    /** The box query is index range scans on entity_morton, never a scan of the whole table. */
    @Test
    void boxQueryUsesTheMortonIndex() {
        boolean postgres = dialect.family() == StoreFamily.POSTGRESQL;
        pool.query(postgres ? "ANALYZE entity" : "ANALYZE TABLE entity").execute().await().atMost(TestWorld.WAIT);
        Bounds box = Bounds.newBuilder().setMinX(3000).setMinY(500).setMaxX(3100).setMaxY(580).build();
        Statement statement = repository.statement(queries.boxScan(box, Set.of((short) 1, (short) 2), 1001));
        assertThat(statement.sql()).contains("morton BETWEEN");
        List<Row> plan = new ArrayList<>();
        pool.preparedQuery(dialect.sql("EXPLAIN " + statement.sql())).execute(statement.params()).await()
                .atMost(TestWorld.WAIT).forEach(plan::add);
        if (postgres) {
            String text = String.join("\n", plan.stream().map(r -> r.getString(0)).toList());
            assertThat(text).contains("entity_morton").containsPattern("(Index|Bitmap).*Scan").doesNotContain("Seq Scan");
        } else {
            Row row = plan.get(0);
            assertThat(row.getString("key")).as("EXPLAIN key").isEqualTo("entity_morton");
            assertThat(row.getString("type")).as("EXPLAIN type").isEqualTo("range");
        }
    }

    /** Spatial reads never gather parallel workers: their generic plans would for a few dozen rows. */
    @Test
    void readsRunWithoutParallelWorkers() {
        assumeTrue(dialect.family() == StoreFamily.POSTGRESQL, "parallel query is PostgreSQL's");
        Row setting = pool.query("SHOW max_parallel_workers_per_gather").execute().await().atMost(TestWorld.WAIT)
                .iterator().next();
        assertThat(setting.getString(0)).isEqualTo("0");
    }

    /** Nor are their plans compiled to machine code: a generic plan's estimate can pass the JIT threshold. */
    @Test
    void readsRunWithoutJitCompilation() {
        assumeTrue(dialect.family() == StoreFamily.POSTGRESQL, "JIT compilation of plans is PostgreSQL's");
        Row setting = pool.query("SHOW jit").execute().await().atMost(TestWorld.WAIT).iterator().next();
        assertThat(setting.getString(0)).isEqualTo("off");
    }

    // ---- brute force --------------------------------------------------------------------------

    private List<Placed> matching(Predicate<Placed> where, List<EntityKind> kinds, Comparator<Placed> order) {
        return seeded.stream().filter(p -> kinds.isEmpty() || kinds.contains(p.kind())).filter(where)
                .sorted(order.thenComparingLong(Placed::id)).toList();
    }

    private static void assertMatches(EntityList got, List<Placed> expected, int limit, String what) {
        assertThat(got.getEntitiesList().stream().map(Entity::getId).toList()).as(what)
                .containsExactlyElementsOf(expected.stream().limit(limit).map(Placed::id).toList());
        assertThat(got.getTruncated()).as(what + " truncated").isEqualTo(expected.size() > limit);
    }

    private static double squaredDistance(Placed p, Position c) {
        return (p.x() - c.getX()) * (p.x() - c.getX()) + (p.y() - c.getY()) * (p.y() - c.getY());
    }

    private Bounds randomBox() {
        double w = SIZES[random.nextInt(SIZES.length)] * (0.5 + random.nextDouble());
        double h = w * (0.3 + random.nextDouble() * 1.4);
        boolean whole = random.nextBoolean();
        double x = whole ? random.nextInt(4096) : random.nextDouble() * 4200 - 100;
        double y = whole ? random.nextInt(4096) : random.nextDouble() * 4200 - 100;
        if (whole) {
            w = Math.max(1, Math.round(w));
            h = Math.max(1, Math.round(h));
        }
        if (random.nextInt(4) == 0) { // around the town
            x = 990 + random.nextDouble() * 60;
            y = 1990 + random.nextDouble() * 60;
        }
        return Bounds.newBuilder().setMinX(x).setMinY(y).setMaxX(x + w).setMaxY(y + h).build();
    }

    private Position randomPoint() {
        if (random.nextInt(3) == 0) {
            return Position.newBuilder().setX(1000 + random.nextDouble() * 60).setY(2000 + random.nextDouble() * 60).build();
        }
        return Position.newBuilder().setX(random.nextDouble() * 4096).setY(random.nextDouble() * 4096).build();
    }

    private List<EntityKind> randomKinds() {
        return switch (random.nextInt(4)) {
            case 0 -> List.of(PLACED.get(random.nextInt(4)));
            case 1 -> List.of(EntityKind.ENTITY_KIND_PLAYER, EntityKind.ENTITY_KIND_GUILD);
            default -> List.of();
        };
    }
}
