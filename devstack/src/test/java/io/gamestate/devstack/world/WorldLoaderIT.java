package io.gamestate.devstack.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.common.testing.JarProcess;
import io.gamestate.common.testing.TestDatabases;
import io.gamestate.common.world.Partitioner;
import io.gamestate.common.world.Partitioner.Rect;
import io.gamestate.common.world.WorldGeometry;
import io.gamestate.proto.query.v1.BoxQuery;
import io.gamestate.proto.query.v1.EntityList;
import io.gamestate.proto.query.v1.QueryServiceClient;
import io.gamestate.proto.query.v1.QueryServiceGrpc;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Move;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.StateServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * WorldLoader and QueryMix on the real servers. PostgreSQL: into the world the packaged
 * state-service created, then checked against state-service (a spawn, moves in the most crowded
 * loaded leaf without a split cascade) and query-service (box answers, the mix). MariaDB: the
 * packaged services are built for the PostgreSQL family, so the loader is checked at the SQL level
 * on the mysql migration and a world laid out as WorldBootstrap lays it, loaded twice (the second
 * load splits leaves the first filled, moving their entities).
 */
class WorldLoaderIT {

    static final String DATABASE = "gamestate_world_it";
    /** Dense enough that the towns' centres hold leaves of minimum size above the split threshold. */
    static final int ENTITIES = 100_000;
    static final int STATE_PORT = 9711;
    static final int QUERY_PORT = 9712;
    static final int STATE_HTTP_PORT = 9713;
    static final int QUERY_HTTP_PORT = 9714;

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnPostgres {

        final Map<String, String> environment = Map.of("STATE_PORT", Integer.toString(STATE_PORT),
                "QUERY_PORT", Integer.toString(QUERY_PORT), "GAMESTATE_DB_NAME", DATABASE);
        JarProcess stateService;
        JarProcess queryService;
        ManagedChannel stateChannel;
        ManagedChannel queryChannel;

        @Test
        void loadsWhatSpawningWouldHaveWrittenAndTheServicesAgree() throws Exception {
            recreatePostgres();
            JarProcess.requireFreePort(STATE_PORT);
            JarProcess.requireFreePort(QUERY_PORT);
            stateService = JarProcess.grpcService("state-service", STATE_PORT, STATE_HTTP_PORT, environment).start();
            queryService = JarProcess.grpcService("query-service", QUERY_PORT, QUERY_HTTP_PORT, environment).start();
            stateChannel = ManagedChannelBuilder.forAddress("127.0.0.1", STATE_PORT).usePlaintext().build();
            queryChannel = ManagedChannelBuilder.forAddress("127.0.0.1", QUERY_PORT).usePlaintext().build();
            var state = StateServiceGrpc.newBlockingStub(stateChannel);
            var query = QueryServiceGrpc.newBlockingStub(queryChannel);

            try (Connection c = postgres()) {
                WorldLoader.Loaded loaded = new WorldLoader(c).load(ENTITIES, 42);
                System.out.printf("PostgreSQL: loaded %d entities in %d ms%n", loaded.count(), loaded.took().toMillis());
                assertLoadedAsSpawned(c, loaded);
                assertPartitionedAsStateServiceWould(c);
                assertCountersExact(c);

                // Units in the most crowded loaded leaf commit at once: no split cascade holds their entities.
                long crowdedLeaf = longs(c, "SELECT id FROM cell WHERE first_child IS NULL ORDER BY num_entities DESC, id").get(0);
                long mover = longs(c, "SELECT MIN(id) FROM entity WHERE kind = 1 AND cell_id = " + crowdedLeaf).get(0);
                double[] leaf = doubles(c, "SELECT (min_x + max_x) / 2, (min_y + max_y) / 2 FROM cell WHERE id = " + crowdedLeaf);
                for (int i = 0; i < 10; i++) {
                    long started = System.nanoTime();
                    state.applyRmw(moveTo(mover, leaf[0] + i * 0.1, leaf[1]));
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("move %d in leaf %d", i, crowdedLeaf)
                            .isLessThan(Duration.ofSeconds(2));
                }

                // A spawn right after takes the allocator's next block (state-service held none before the
                // load), and writes the columns of a loaded player.
                RmwResult spawned = state.applyRmw(spawnPlayerAt(1024.5, 1024.5));
                Entity player = spawned.getEntities(0);
                assertThat(player.getId()).isGreaterThanOrEqualTo(loaded.endId());
                assertThat(player.getVersion()).isEqualTo(1);
                assertThat(columnsBesidesPlace(c, player.getId())).isEqualTo(columnsBesidesPlace(c, loaded.firstId()));

                // Whatever state-service split or merged after those commits, the tree and counters stay exact.
                assertTreeWellFormed(c);
                assertCountersExact(c);

                for (Bounds box : List.of(box(1012, 1012, 24), box(3000, 3000, 96), box(0, 0, 64), box(2040, 2040, 16))) {
                    EntityList answer = query.entitiesInBox(BoxQuery.newBuilder().setBox(box).setLimit(1000).build());
                    assertThat(answer.getTruncated()).isFalse();
                    assertThat(answer.getEntitiesList().stream().map(Entity::getId).toList())
                            .as("box %s", box).containsExactlyInAnyOrderElementsOf(idsInBox(c, box));
                }
            }

            // The scorecard's reads at a fixed rate: about 100 calls in the window, every kind answered, and the
            // nearest query holds its k entities in a world this dense.
            Map<String, QueryMix.Reads> mix = new QueryMix(new QueryServiceClient("query", queryChannel, (name, stub) -> stub),
                    4096, 4096, QueryMix.Shapes.DEFAULT).run(50, Duration.ofMillis(500), Duration.ofSeconds(2));
            assertThat(mix).containsOnlyKeys("box", "radius", "nearest", "region");
            mix.forEach((kind, reads) -> {
                assertThat(reads.window().operations()).as(kind).isPositive();
                assertThat(reads.window().errorsByCode()).as(kind).isEmpty();
            });
            assertThat(mix.values().stream().mapToLong(reads -> reads.window().operations()).sum()).isBetween(80L, 120L);
            assertThat(mix.get("nearest").entitiesPerAnswer()).isEqualTo(QueryMix.Shapes.DEFAULT.k());
        }

        @AfterAll
        void stop() {
            for (ManagedChannel channel : new ManagedChannel[] {stateChannel, queryChannel}) {
                if (channel != null) {
                    channel.shutdownNow();
                }
            }
            for (JarProcess service : new JarProcess[] {queryService, stateService}) {
                if (service != null) {
                    service.stop();
                }
            }
        }

        private RmwUnit moveTo(long entityId, double x, double y) {
            return RmwUnit.newBuilder().setRequestId(UUID.randomUUID().toString())
                    .setMove(Move.newBuilder().setEntityId(entityId).setTo(Position.newBuilder().setX(x).setY(y)))
                    .build();
        }

        private RmwUnit spawnPlayerAt(double x, double y) {
            return RmwUnit.newBuilder().setRequestId(UUID.randomUUID().toString())
                    .setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER).setGold(WorldLoader.PLAYER_GOLD)
                            .setPosition(Position.newBuilder().setX(x).setY(y)))
                    .build();
        }
    }

    @Nested
    class OnMariaDb {

        @Test
        void loadsWhatSpawningWouldHaveWritten() throws Exception {
            TestDatabases.ensure(TestDatabases.Server.MARIADB, DATABASE);
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + DATABASE, "root", "")) {
                createWorldAsStateServiceDoes(c);
                for (long seed : new long[] {42, 43}) {
                    long allocatorBefore = nextEntityId(c);
                    WorldLoader.Loaded loaded = new WorldLoader(c).load(ENTITIES / 2, seed);
                    System.out.printf("MariaDB: loaded %d entities in %d ms%n", loaded.count(), loaded.took().toMillis());
                    assertThat(loaded.firstId()).isEqualTo(allocatorBefore);
                    assertThat(nextEntityId(c)).isEqualTo(loaded.endId()); // state-service's next block starts after the load
                    assertLoadedAsSpawned(c, loaded);
                    assertPartitionedAsStateServiceWould(c);
                    assertCountersExact(c);
                }
            }
        }

        /** The mysql migration, then what WorldBootstrap inserts. */
        private void createWorldAsStateServiceDoes(Connection c) throws Exception {
            try (Statement s = c.createStatement()) {
                for (String table : List.of("world", "id_allocator", "cell", "terrain", "entity", "effect", "cell_aggregate",
                        "change_log", "rmw_request")) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
                String migration = Files.readString(Path.of("..", "schema", "src", "main", "resources", "db", "migration",
                        "mysql", "V1__world.sql"));
                for (String statement : migration.replaceAll("(?m)^--.*$", "").split(";")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
                s.execute("INSERT INTO world VALUES (1, 4096, 4096, 256, 16, 16)");
                for (int sb = 0; sb < 256; sb++) {
                    long cell = WorldGeometry.rootCellId(sb);
                    int minX = sb % 16 * 256;
                    int minY = sb / 16 * 256;
                    s.execute("INSERT INTO cell VALUES (" + cell + ", " + sb + ", NULL, NULL, NULL, 0, 0, " + minX + ", " + minY
                            + ", " + (minX + 256) + ", " + (minY + 256) + ", 0, 0, 0)");
                    s.execute("INSERT INTO cell_aggregate VALUES (" + cell + ", 3, 1, 0, 0, 0), (" + cell + ", 3, 2, 0, 0, 0), ("
                            + cell + ", 2, 3, 0, 0, 0), (" + cell + ", 3, 6, 0, 0, 0)");
                    s.execute("INSERT INTO terrain VALUES (" + cell + ", 'plains', " + sb + ", 1)");
                }
                s.execute("INSERT INTO id_allocator VALUES ('entity', 1), ('cell', 257)");
            }
        }

        private long nextEntityId(Connection c) throws SQLException {
            return longs(c, "SELECT next_id FROM id_allocator WHERE name = 'entity'").get(0);
        }
    }

    // ---- the invariants, on both families --------------------------------------------------------

    /** Each loaded row is in the leaf holding it, with the services' Morton key and the columns SpawnRule writes. */
    static void assertLoadedAsSpawned(Connection c, WorldLoader.Loaded loaded) throws SQLException {
        WorldGeometry geometry = WorldLoader.geometry(c);
        assertThat(longs(c, "SELECT COUNT(*) FROM entity e JOIN cell l ON l.id = e.cell_id WHERE e.id >= " + loaded.firstId()
                + " AND e.id < " + loaded.endId() + " AND l.first_child IS NULL"
                + " AND e.x >= l.min_x AND e.x < l.max_x AND e.y >= l.min_y AND e.y < l.max_y"))
                .containsExactly(loaded.count());
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, x, y, morton FROM entity WHERE id >= " + loaded.firstId()
                     + " AND id < " + loaded.endId())) {
            while (rs.next()) {
                assertThat(rs.getLong(4)).as("morton of %d", rs.getLong(1)).isEqualTo(geometry.morton(rs.getDouble(2), rs.getDouble(3)));
            }
        }
        String range = " WHERE id >= " + loaded.firstId() + " AND id < " + loaded.endId();
        assertThat(longs(c, "SELECT COUNT(*) FROM entity" + range + " AND (owner_id <> id OR parent_id IS NOT NULL"
                + " OR first_child IS NOT NULL OR version <> 1 OR dead <> 0 OR max_hp <> hp OR attributes IS NOT NULL)"))
                .containsExactly(0L);
        assertThat(longs(c, "SELECT COUNT(*) FROM entity" + range + " GROUP BY kind ORDER BY kind")).containsExactly(
                loaded.firstNpcId() - loaded.firstId(), loaded.firstNodeId() - loaded.firstNpcId(), loaded.endId() - loaded.firstNodeId());
        assertThat(longs(c, "SELECT COUNT(*) FROM entity" + range + " AND kind = 3 AND item_type IN ('ore', 'wood')"
                + " AND amount = " + WorldLoader.NODE_AMOUNT + " AND hp = 0"))
                .containsExactly(loaded.endId() - loaded.firstNodeId());
    }

    /**
     * The tree state-service's partitioning converges to: no leaf above the split threshold unless
     * too small to split, and a well-formed tree.
     */
    static void assertPartitionedAsStateServiceWould(Connection c) throws SQLException {
        assertTreeWellFormed(c);
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, min_x, min_y, max_x, max_y FROM cell WHERE first_child IS NULL"
                     + " AND num_entities > " + WorldLoader.DEFAULT_SPLIT_THRESHOLD)) {
            while (rs.next()) {
                Rect leaf = new Rect(rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5));
                assertThat(Partitioner.canSplit(leaf, WorldLoader.DEFAULT_MIN_CELL_SIZE))
                        .as("crowded leaf %d %s is of minimum size", rs.getLong(1), leaf).isFalse();
            }
        }
    }

    /**
     * Every cell's children are its partition type's cut of it (so they tile it), LCRS-linked in
     * that order, one level deeper, in its superblock; every cell has its terrain and aggregate
     * rows and an id from the allocator; every placed entity is in the leaf holding its position.
     */
    static void assertTreeWellFormed(Connection c) throws SQLException {
        record Cell(long id, int superblock, Long parent, Long firstChild, Long nextSibling, int depth, int type, Rect rect) {
        }
        Map<Long, Cell> cells = new HashMap<>();
        Map<Long, List<Long>> childrenById = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, superblock_id, parent_id, first_child, next_sibling, depth, partition_type,"
                     + " min_x, min_y, max_x, max_y FROM cell ORDER BY id")) {
            while (rs.next()) {
                Cell cell = new Cell(rs.getLong(1), rs.getInt(2), rs.getObject(3) == null ? null : rs.getLong(3),
                        rs.getObject(4) == null ? null : rs.getLong(4), rs.getObject(5) == null ? null : rs.getLong(5),
                        rs.getInt(6), rs.getInt(7), new Rect(rs.getDouble(8), rs.getDouble(9), rs.getDouble(10), rs.getDouble(11)));
                cells.put(cell.id(), cell);
                if (cell.parent() != null) {
                    childrenById.computeIfAbsent(cell.parent(), k -> new ArrayList<>()).add(cell.id());
                }
            }
        }
        for (Cell cell : cells.values()) {
            List<Long> linked = new ArrayList<>();
            for (Long child = cell.firstChild(); child != null; child = cells.get(child).nextSibling()) {
                linked.add(child);
            }
            assertThat(linked).as("children of %d", cell.id())
                    .containsExactlyInAnyOrderElementsOf(childrenById.getOrDefault(cell.id(), List.of()));
            Partitioner.Type type = Partitioner.Type.values()[cell.type()];
            assertThat(linked.stream().map(id -> cells.get(id).rect()).toList()).as("cut of %d", cell.id())
                    .isEqualTo(linked.isEmpty() ? List.of() : Partitioner.children(cell.rect(), type));
            assertThat(type == Partitioner.Type.NONE).as("type of %d", cell.id()).isEqualTo(linked.isEmpty());
            for (long child : linked) {
                assertThat(cells.get(child).depth()).as("depth of %d", child).isEqualTo(cell.depth() + 1);
                assertThat(cells.get(child).superblock()).as("superblock of %d", child).isEqualTo(cell.superblock());
            }
        }
        assertThat(cells.values().stream().filter(cell -> cell.parent() == null).map(Cell::depth).distinct()).containsExactly(0);
        assertThat(longs(c, "SELECT COUNT(*) FROM cell WHERE id NOT IN (SELECT cell_id FROM terrain)")).containsExactly(0L);
        assertThat(longs(c, "SELECT COUNT(*) FROM cell_aggregate GROUP BY cell_id").stream().distinct()).containsExactly(4L);
        assertThat(longs(c, "SELECT COUNT(*) FROM cell_aggregate").get(0)).isEqualTo(4L * cells.size());
        assertThat(longs(c, "SELECT next_id FROM id_allocator WHERE name = 'cell'").get(0))
                .isGreaterThan(Collections.max(cells.keySet()));
        assertThat(longs(c, "SELECT COUNT(*) FROM entity e JOIN cell l ON l.id = e.cell_id WHERE l.first_child IS NULL"
                + " AND e.x >= l.min_x AND e.x < l.max_x AND e.y >= l.min_y AND e.y < l.max_y"))
                .isEqualTo(longs(c, "SELECT COUNT(*) FROM entity WHERE cell_id IS NOT NULL"));
    }

    /** Counters and aggregates equal a recount of the entity table. */
    static void assertCountersExact(Connection c) throws SQLException {
        assertThat(longs(c, "SELECT COUNT(*) FROM cell l WHERE l.num_entities <> (SELECT COUNT(*) FROM entity e WHERE e.cell_id = l.id)"))
                .containsExactly(0L);
        assertThat(longs(c, "SELECT SUM(num_entities) FROM cell WHERE first_child IS NULL"))
                .isEqualTo(longs(c, "SELECT COUNT(*) FROM entity WHERE cell_id IS NOT NULL"));
        Map<String, List<Long>> aggregates = rows(c, "SELECT cell_id, layer, kind, entity_count, amount_total, hp_total"
                + " FROM cell_aggregate WHERE entity_count <> 0 OR amount_total <> 0 OR hp_total <> 0");
        Map<String, List<Long>> recount = rows(c, "SELECT cell_id, CASE kind WHEN 3 THEN 2 ELSE 3 END, kind, COUNT(*), SUM(amount), SUM(hp)"
                + " FROM entity WHERE cell_id IS NOT NULL GROUP BY cell_id, kind");
        assertThat(aggregates).isEqualTo(recount);
    }

    /** Version aside too: a split that moves the entity to a child cell bumps it. */
    static List<Object> columnsBesidesPlace(Connection c, long id) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kind, parent_id, first_child, next_sibling, prev_sibling, hp, max_hp, gold,"
                     + " amount, item_type, dead, attributes FROM entity WHERE id = " + id)) {
            assertThat(rs.next()).isTrue();
            List<Object> values = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getObject(i));
            }
            return values;
        }
    }

    static double[] doubles(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            double[] out = new double[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = rs.getDouble(i + 1);
            }
            return out;
        }
    }

    static Set<Long> idsInBox(Connection c, Bounds b) throws SQLException {
        return new HashSet<>(longs(c, "SELECT id FROM entity WHERE cell_id IS NOT NULL AND x >= " + b.getMinX() + " AND x < "
                + b.getMaxX() + " AND y >= " + b.getMinY() + " AND y < " + b.getMaxY()));
    }

    static Bounds box(double minX, double minY, double side) {
        return Bounds.newBuilder().setMinX(minX).setMinY(minY).setMaxX(minX + side).setMaxY(minY + side).build();
    }

    static List<Long> longs(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** Rows keyed by their first three columns, with the rest as values. */
    static Map<String, List<Long>> rows(Connection c, String sql) throws SQLException {
        Map<String, List<Long>> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getLong(3), List.of(rs.getLong(4), rs.getLong(5), rs.getLong(6)));
            }
        }
        return out;
    }

    static Connection postgres() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "postgres", "");
    }

    /** A fresh database each run: state-service creates the world in it. */
    static void recreatePostgres() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             PreparedStatement drop = c.prepareStatement("DROP DATABASE IF EXISTS " + DATABASE)) {
            drop.execute();
        }
        TestDatabases.ensure(TestDatabases.Server.POSTGRESQL, DATABASE);
    }
}
