package io.gamestate.devstack.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamestate.common.testing.JarProcess;
import io.gamestate.common.testing.TestDatabases;
import io.gamestate.common.world.WorldGeometry;
import io.gamestate.devstack.scorecard.WindowRecorder;
import io.gamestate.proto.query.v1.BoxQuery;
import io.gamestate.proto.query.v1.EntityList;
import io.gamestate.proto.query.v1.QueryServiceClient;
import io.gamestate.proto.query.v1.QueryServiceGrpc;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
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
 * state-service created, then checked against state-service (a spawn right after, a split of a
 * loaded leaf) and query-service (box answers, the mix). MariaDB: the packaged services are built
 * for the PostgreSQL family, so the loader is checked at the SQL level on the mysql migration and
 * a world laid out as WorldBootstrap lays it.
 */
class WorldLoaderIT {

    static final String DATABASE = "gamestate_world_it";
    static final int ENTITIES = 20_000;
    static final int STATE_PORT = 9711;
    static final int QUERY_PORT = 9712;

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
            stateService = JarProcess.service("state-service", STATE_PORT, environment).start();
            queryService = JarProcess.service("query-service", QUERY_PORT, environment).start();
            stateChannel = ManagedChannelBuilder.forAddress("127.0.0.1", STATE_PORT).usePlaintext().build();
            queryChannel = ManagedChannelBuilder.forAddress("127.0.0.1", QUERY_PORT).usePlaintext().build();
            var state = StateServiceGrpc.newBlockingStub(stateChannel);
            var query = QueryServiceGrpc.newBlockingStub(queryChannel);

            try (Connection c = postgres()) {
                WorldLoader.Loaded loaded = new WorldLoader(c).load(ENTITIES, 42);
                System.out.printf("PostgreSQL: loaded %d entities in %d ms%n", loaded.count(), loaded.took().toMillis());
                assertLoadedAsSpawned(c, loaded);
                assertCountersExact(c);

                // A spawn right after takes the allocator's next block (state-service held none before the
                // load), and writes the columns of a loaded player.
                RmwResult spawned = state.applyRmw(spawnPlayerAt(1024.5, 1024.5));
                Entity player = spawned.getEntities(0);
                assertThat(player.getId()).isGreaterThanOrEqualTo(loaded.endId());
                assertThat(player.getVersion()).isEqualTo(1);
                assertThat(columnsBesidesPlace(c, player.getId())).isEqualTo(columnsBesidesPlace(c, loaded.firstId()));

                // That commit landed in a crowded loaded leaf: state-service splits it, and the counters stay exact.
                await("the crowded leaf " + player.getCellId() + " split").atMost(Duration.ofSeconds(60))
                        .until(() -> !isLeaf(c, player.getCellId()));
                assertCountersExact(c);

                for (Bounds box : List.of(box(1000, 1000, 48), box(3000, 3000, 128), box(0, 0, 64), box(2040, 2040, 64))) {
                    EntityList answer = query.entitiesInBox(BoxQuery.newBuilder().setBox(box).setLimit(1000).build());
                    assertThat(answer.getTruncated()).isFalse();
                    assertThat(answer.getEntitiesList().stream().map(Entity::getId).toList())
                            .as("box %s", box).containsExactlyInAnyOrderElementsOf(idsInBox(c, box));
                }
            }

            Map<String, WindowRecorder> mix = new QueryMix(new QueryServiceClient("query", queryChannel, (name, stub) -> stub),
                    4096, 4096).run(2, Duration.ofMillis(500), Duration.ofSeconds(2));
            assertThat(mix).containsOnlyKeys("box", "radius", "nearest", "region");
            mix.forEach((kind, recorder) -> {
                assertThat(recorder.operations()).as(kind).isPositive();
                assertThat(recorder.errorsByCode()).as(kind).isEmpty();
            });
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
                long allocatorBefore = nextEntityId(c);
                WorldLoader.Loaded loaded = new WorldLoader(c).load(ENTITIES, 42);
                System.out.printf("MariaDB: loaded %d entities in %d ms%n", loaded.count(), loaded.took().toMillis());
                assertThat(loaded.firstId()).isEqualTo(allocatorBefore);
                assertThat(nextEntityId(c)).isEqualTo(loaded.endId()); // state-service's next block starts after the load
                assertLoadedAsSpawned(c, loaded);
                assertCountersExact(c);
            }
        }

        /** The mysql migration, then what WorldBootstrap inserts (terrain aside: the loader does not read it). */
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

    static boolean isLeaf(Connection c, long cellId) throws SQLException {
        return longs(c, "SELECT COUNT(*) FROM cell WHERE id = " + cellId + " AND first_child IS NULL").get(0) == 1;
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
