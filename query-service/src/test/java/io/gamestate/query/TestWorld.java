package io.gamestate.query;

import io.gamestate.proto.query.v1.QueryService;
import io.gamestate.proto.state.v1.ChangeEvent;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.PartitionType;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.store.SqlDialect;
import io.gamestate.common.world.WorldGeometry;
import io.quarkus.grpc.GrpcClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.gamestate.common.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the shared tables the way state-service does (the tables are the contract): the world
 * of unsplit superblocks with terrain and aggregate rows, placed and held entities with their
 * Morton keys, cells and LCRS links, hand-built splits, effects and change-log rows.
 */
@ApplicationScoped
// For every @QuarkusTest of the module: the database exists before Quarkus starts and migrates it.
@QuarkusTestResource(value = TestDatabase.class, initArgs = @ResourceArg(name = "name", value = "gamestate_query_test"))
public class TestWorld {

    public static final Duration WAIT = Duration.ofSeconds(30);
    static final String[] BIOMES = {"plains", "forest", "hills", "desert", "swamp", "water"};

    @GrpcClient("query")
    QueryService query;

    @Inject
    Pool pool;

    @Inject
    SqlDialect dialect;

    @Inject
    WorldGeometry geometry;

    /** A placed entity as seeded, for brute-force answers. */
    public record Placed(long id, EntityKind kind, double x, double y, long morton, long cellId, int hp, long amount) {
    }

    /** A cell as seeded: enough to find the leaf a point falls in. */
    public record SeededCell(long id, int superblock, double minX, double minY, double maxX, double maxY, int depth,
            boolean leaf) {
        boolean contains(double x, double y) {
            return x >= minX && x < maxX && y >= minY && y < maxY;
        }
    }

    private final Map<Long, SeededCell> cells = new HashMap<>();
    private long nextCellId;
    private long nextEntityId;

    public QueryService client() {
        return query;
    }

    public Map<Long, SeededCell> cells() {
        return cells;
    }

    /** Empties every table and creates the world of unsplit superblocks (root cell of superblock s = s + 1). */
    public void reset() {
        for (String table : List.of("world", "id_allocator", "cell", "terrain", "entity", "effect", "cell_aggregate",
                "change_log", "rmw_request")) {
            pool.query("DELETE FROM " + table).execute().await().atMost(WAIT);
        }
        cells.clear();
        exec("INSERT INTO world (id, width, height, superblock_size, superblocks_x, superblocks_y) VALUES (?, ?, ?, ?, ?, ?)",
                Tuple.of((short) 1, geometry.width(), geometry.height(), geometry.superblockSize(),
                        (int) Math.ceil(geometry.width() / geometry.superblockSize()),
                        (int) Math.ceil(geometry.height() / geometry.superblockSize())));
        List<SeededCell> roots = new ArrayList<>();
        double size = geometry.superblockSize();
        int perRow = (int) Math.ceil(geometry.width() / size);
        for (int sb = 0; sb < geometry.superblockCount(); sb++) {
            double minX = (sb % perRow) * size;
            double minY = (sb / perRow) * size;
            roots.add(new SeededCell(sb + 1L, sb, minX, minY, Math.min(minX + size, geometry.width()),
                    Math.min(minY + size, geometry.height()), 0, true));
        }
        insertCells(roots, null);
        nextCellId = geometry.superblockCount() + 1L;
        nextEntityId = 1;
    }

    // ---- cells --------------------------------------------------------------------------------

    /** Splits a leaf into its four quadrants (PARTITION_SPLIT), as state-service's split does; returns the children. */
    public List<Long> split(long cellId) {
        SeededCell p = cells.get(cellId);
        double midX = (p.minX() + p.maxX()) / 2;
        double midY = (p.minY() + p.maxY()) / 2;
        List<SeededCell> children = List.of(
                new SeededCell(nextCellId++, p.superblock(), p.minX(), p.minY(), midX, midY, p.depth() + 1, true),
                new SeededCell(nextCellId++, p.superblock(), midX, p.minY(), p.maxX(), midY, p.depth() + 1, true),
                new SeededCell(nextCellId++, p.superblock(), p.minX(), midY, midX, p.maxY(), p.depth() + 1, true),
                new SeededCell(nextCellId++, p.superblock(), midX, midY, p.maxX(), p.maxY(), p.depth() + 1, true));
        insertCells(children, cellId);
        exec("UPDATE cell SET first_child = ?, partition_type = ? WHERE id = ?",
                Tuple.of(children.get(0).id(), (short) PartitionType.PARTITION_SPLIT_VALUE, cellId));
        cells.put(cellId, new SeededCell(p.id(), p.superblock(), p.minX(), p.minY(), p.maxX(), p.maxY(), p.depth(), false));
        return children.stream().map(SeededCell::id).toList();
    }

    private void insertCells(List<SeededCell> newCells, Long parentId) {
        List<Tuple> cellRows = new ArrayList<>();
        List<Tuple> terrain = new ArrayList<>();
        List<Tuple> aggregates = new ArrayList<>();
        for (int i = 0; i < newCells.size(); i++) {
            SeededCell c = newCells.get(i);
            Long nextSibling = parentId != null && i + 1 < newCells.size() ? newCells.get(i + 1).id() : null;
            cellRows.add(Tuple.from(new Object[] {c.id(), c.superblock(), parentId, nextSibling, (short) c.depth(),
                c.minX(), c.minY(), c.maxX(), c.maxY()}));
            String biome = BIOMES[(int) (c.id() % BIOMES.length)];
            terrain.add(Tuple.of(c.id(), biome, (int) (c.id() * 7 % 1000), (short) (biome.equals("water") ? 0 : 1)));
            for (EntityKind kind : List.of(EntityKind.ENTITY_KIND_PLAYER, EntityKind.ENTITY_KIND_NPC,
                    EntityKind.ENTITY_KIND_RESOURCE_NODE, EntityKind.ENTITY_KIND_GUILD)) {
                aggregates.add(Tuple.of(c.id(), layerOf(kind), (short) kind.getNumber()));
            }
            cells.put(c.id(), c);
        }
        batch("INSERT INTO cell (id, superblock_id, parent_id, first_child, next_sibling, depth, partition_type,"
                + " min_x, min_y, max_x, max_y, num_entities, request_queue, version)"
                + " VALUES (?, ?, ?, NULL, ?, ?, 0, ?, ?, ?, ?, 0, 0, 0)", cellRows);
        batch("INSERT INTO terrain (cell_id, biome, elevation, walkable) VALUES (?, ?, ?, ?)", terrain);
        batch("INSERT INTO cell_aggregate (cell_id, layer, kind, entity_count, amount_total, hp_total)"
                + " VALUES (?, ?, ?, 0, 0, 0)", aggregates);
    }

    public SeededCell leafAt(double x, double y) {
        return cells.values().stream().filter(c -> c.leaf() && c.contains(x, y)).findFirst().orElseThrow();
    }

    // ---- entities -----------------------------------------------------------------------------

    public Placed place(EntityKind kind, double x, double y, int hp, long amount) {
        return placeAll(List.of(new double[] {kind.getNumber(), x, y, hp, amount})).get(0);
    }

    /**
     * Places entities given as {kind, x, y, hp, amount}, in one batch, with their leaf, Morton key,
     * and their cells' entity counts and aggregate rows raised by what they add.
     */
    public List<Placed> placeAll(List<double[]> specs) {
        List<Placed> placed = new ArrayList<>();
        List<Tuple> rows = new ArrayList<>();
        Map<List<Long>, long[]> deltas = new HashMap<>();
        for (double[] s : specs) {
            EntityKind kind = EntityKind.forNumber((int) s[0]);
            Placed p = new Placed(nextEntityId++, kind, s[1], s[2], geometry.morton(s[1], s[2]),
                    leafAt(s[1], s[2]).id(), (int) s[3], (long) s[4]);
            placed.add(p);
            rows.add(Tuple.from(new Object[] {p.id(), (short) kind.getNumber(), p.id(), p.x(), p.y(), p.cellId(),
                p.morton(), p.hp(), p.hp(), p.amount(), kind == EntityKind.ENTITY_KIND_RESOURCE_NODE ? "ore" : null,
                "{\"name\":\"e" + p.id() + "\"}"}));
            long[] d = deltas.computeIfAbsent(List.of(p.cellId(), (long) kind.getNumber()), key -> new long[3]);
            d[0]++;
            d[1] += p.amount();
            d[2] += p.hp();
        }
        batch("INSERT INTO entity (id, kind, owner_id, parent_id, first_child, next_sibling, prev_sibling, x, y, cell_id,"
                + " morton, hp, max_hp, gold, amount, item_type, dead, attributes, version)"
                + " VALUES (?, ?, ?, NULL, NULL, NULL, NULL, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, ?, 1)", rows);
        List<Tuple> aggregateRows = new ArrayList<>();
        Map<Long, Long> counts = new HashMap<>();
        deltas.forEach((key, d) -> {
            aggregateRows.add(Tuple.of(d[0], d[1], d[2], key.get(0), layerOf(EntityKind.forNumber(key.get(1).intValue())),
                    key.get(1).shortValue()));
            counts.merge(key.get(0), d[0], Long::sum);
        });
        batch("UPDATE cell SET num_entities = num_entities + ? WHERE id = ?",
                counts.entrySet().stream().map(c -> Tuple.of(c.getValue(), c.getKey())).toList());
        batch("UPDATE cell_aggregate SET entity_count = entity_count + ?, amount_total = amount_total + ?,"
                + " hp_total = hp_total + ? WHERE cell_id = ? AND layer = ? AND kind = ?", aggregateRows);
        return placed;
    }

    /** A held entity prepended as the parent's first child (LCRS), owned by the parent's owner. */
    public long hold(EntityKind kind, long parentId) {
        long id = nextEntityId++;
        Long oldFirst = pool.preparedQuery(dialect.sql("SELECT first_child FROM entity WHERE id = ?"))
                .execute(Tuple.of(parentId)).await().atMost(WAIT).iterator().next().getLong(0);
        long owner = pool.preparedQuery(dialect.sql("SELECT owner_id FROM entity WHERE id = ?"))
                .execute(Tuple.of(parentId)).await().atMost(WAIT).iterator().next().getLong(0);
        exec("INSERT INTO entity (id, kind, owner_id, parent_id, first_child, next_sibling, prev_sibling, x, y, cell_id,"
                + " morton, hp, max_hp, gold, amount, item_type, dead, attributes, version)"
                + " VALUES (?, ?, ?, ?, NULL, ?, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 1, 'thing', 0, NULL, 1)",
                Tuple.of(id, (short) kind.getNumber(), owner, parentId, oldFirst));
        if (oldFirst != null) {
            exec("UPDATE entity SET prev_sibling = ? WHERE id = ?", Tuple.of(id, oldFirst));
        }
        exec("UPDATE entity SET first_child = ? WHERE id = ?", Tuple.of(id, parentId));
        return id;
    }

    public void effect(long id, long cellId, long targetId, long expiresAtMs) {
        exec("INSERT INTO effect (id, cell_id, target_id, kind, magnitude, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                Tuple.of(id, cellId, targetId, "hit", 5, expiresAtMs));
    }

    // ---- change log ---------------------------------------------------------------------------

    /** Commits the cell's next versions, as a writer does: cell version and log rows in one transaction. */
    public void commitChanges(long cellId, int count) {
        pool.withTransaction(c -> c.preparedQuery(dialect.sql("SELECT version FROM cell WHERE id = ? FOR UPDATE"))
                .execute(Tuple.of(cellId)).chain(rows -> {
                    long version = rows.iterator().next().getLong(0);
                    List<Tuple> events = new ArrayList<>();
                    for (int i = 1; i <= count; i++) {
                        ChangeEvent e = ChangeEvent.newBuilder().setCellId(cellId).setCellVersion(version + i)
                                .setRequestId("r-" + cellId + "-" + (version + i)).setRule(Rule.RULE_MOVE)
                                .setCommittedAtMs(System.currentTimeMillis()).build();
                        events.add(Tuple.from(new Object[] {cellId, cells.get(cellId).superblock(), version + i,
                            e.getRequestId(), (short) Rule.RULE_MOVE_VALUE, e.getCommittedAtMs(), Buffer.buffer(e.toByteArray())}));
                    }
                    return c.preparedQuery(dialect.sql("UPDATE cell SET version = ? WHERE id = ?"))
                            .execute(Tuple.of(version + count, cellId))
                            .chain(() -> c.preparedQuery(dialect.sql("INSERT INTO change_log (cell_id, superblock_id,"
                                    + " cell_version, request_id, rule, committed_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)")).executeBatch(events));
                })).await().atMost(WAIT);
    }

    /** Each cell's last version in the change log of a superblock: what a watch of it must have delivered. */
    public Map<Long, Long> loggedVersions(int superblock) {
        Map<Long, Long> out = new HashMap<>();
        pool.preparedQuery(dialect.sql("SELECT cell_id, MAX(cell_version) FROM change_log WHERE superblock_id = ? GROUP BY cell_id"))
                .execute(Tuple.of(superblock)).await().atMost(WAIT).forEach(r -> out.put(r.getLong(0), r.getLong(1)));
        return out;
    }

    // ---- plumbing -----------------------------------------------------------------------------

    public void exec(String sql, Tuple params) {
        pool.preparedQuery(dialect.sql(sql)).execute(params).await().atMost(WAIT);
    }

    private void batch(String sql, List<Tuple> rows) {
        if (!rows.isEmpty()) {
            pool.preparedQuery(dialect.sql(sql)).executeBatch(rows).await().atMost(WAIT);
        }
    }

    static short layerOf(EntityKind kind) {
        return (short) (kind == EntityKind.ENTITY_KIND_RESOURCE_NODE ? 2 : 3);
    }
}
