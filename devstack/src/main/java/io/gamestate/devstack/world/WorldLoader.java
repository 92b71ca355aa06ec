package io.gamestate.devstack.world;

import io.gamestate.common.world.WorldGeometry;
import io.gamestate.proto.state.v1.EntityKind;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Bulk-loads placed entities into a world state-service has created, straight over JDBC, leaving
 * the rows state-service would have left by spawning them: ids from the shared hi/lo allocator,
 * the leaf cell holding each position, the Morton key of {@link WorldGeometry}, the columns of
 * SpawnRule, and exact {@code cell.num_entities} and {@code cell_aggregate} rows. Before the
 * entities go in, it splits the leaves they crowd as state-service's partitioning would
 * ({@link CellTree}), so each lands in a leaf of at most the split threshold (or of minimum size).
 * It writes no change events and bumps no cell version: the loaded world is the starting state,
 * not a change. PostgreSQL family through COPY, MySQL family through multi-row INSERTs.
 *
 * <p>Load before the game runs: the load holds every cell's lock until it commits, so units
 * wait for it, and a split or a unit running as it starts can make it fail (nothing written).
 */
public final class WorldLoader {

    static final int PLAYER_PERCENT = 10;
    static final int NPC_PERCENT = 45;
    /** Share of entities crowded around the towns (as devstack bench's spawn points); the rest are uniform. */
    static final double CROWD_SHARE = 0.3;
    static final double TOWN_SPREAD = 40;
    /** What bench spawns, so a game mix can hit, heal and harvest the loaded entities for long. */
    static final int PLAYER_HP = 100; // SpawnRule's default for a creature spawned without hp
    static final long PLAYER_GOLD = 1_000_000;
    static final int NPC_HP = 1_000_000_000;
    static final long NODE_AMOUNT = 1_000_000_000;
    /**
     * state-service's defaults of gamestate.partition.split-threshold and min-cell-size
     * (StateConfig): a world loaded for a state-service configured otherwise must be given its values.
     */
    public static final int DEFAULT_SPLIT_THRESHOLD = 64;
    public static final double DEFAULT_MIN_CELL_SIZE = 16;
    private static final int ROWS_PER_INSERT = 5_000;
    private static final String COLUMNS =
            "id, kind, owner_id, x, y, cell_id, morton, hp, max_hp, gold, amount, item_type, dead, attributes, version";

    private final Connection connection;
    private final int splitThreshold;
    private final double minCellSize;

    public WorldLoader(Connection connection) {
        this(connection, DEFAULT_SPLIT_THRESHOLD, DEFAULT_MIN_CELL_SIZE);
    }

    public WorldLoader(Connection connection, int splitThreshold, double minCellSize) {
        this.connection = connection;
        this.splitThreshold = splitThreshold;
        this.minCellSize = minCellSize;
    }

    /**
     * What was loaded. Ids are consecutive, kinds in blocks: players [firstId, firstNpcId), NPCs
     * [firstNpcId, firstNodeId), resource nodes [firstNodeId, endId).
     */
    public record Loaded(long firstId, long firstNpcId, long firstNodeId, long endId, Duration took) {
        public long count() {
            return endId - firstId;
        }

        Loaded took(Duration time) {
            return new Loaded(firstId, firstNpcId, firstNodeId, endId, time);
        }
    }

    /** The world state-service created in this database. */
    public static WorldGeometry geometry(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT width, height, superblock_size FROM world WHERE id = 1")) {
            if (!rs.next()) {
                throw new IllegalStateException("no world in this database: start state-service on it first");
            }
            return new WorldGeometry(rs.getDouble(1), rs.getDouble(2), rs.getDouble(3));
        }
    }

    /** Entities with a position (players, NPCs, resource nodes...): what a spatial query can find. */
    public static long placed(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM entity WHERE x IS NOT NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Loads count entities at positions drawn from the seed, in one transaction after the ids are reserved. */
    public Loaded load(int count, long seed) throws SQLException, IOException {
        long started = System.nanoTime();
        WorldGeometry geometry = geometry(connection);
        boolean postgres = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            long firstId = reserveIds(count);
            Loaded loaded = new Loaded(firstId, firstId + (long) count * PLAYER_PERCENT / 100,
                    firstId + (long) count * (PLAYER_PERCENT + NPC_PERCENT) / 100, firstId + count, Duration.ZERO);
            CellTree tree = CellTree.lock(connection, geometry, splitThreshold, minCellSize);
            Rows rows = new Rows(loaded, geometry, seed);
            for (int i = 0; i < count; i++) {
                tree.add(firstId + i, rows.x[i], rows.y[i]);
            }
            tree.split();
            tree.write();
            tree.placeLoaded(firstId, rows.cell);
            if (postgres) {
                copyPostgres(rows);
            } else {
                insertMultiRow(rows);
            }
            addToCounters(loaded, tree, postgres);
            connection.commit();
            analyze(postgres);
            Loaded done = loaded.took(Duration.ofNanos(System.nanoTime() - started));
            settle(postgres);
            return done;
        } catch (SQLException | IOException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** One block of ids in a short transaction of its own, as IdAllocator takes them: no instance hands them out again. */
    private long reserveIds(int count) throws SQLException {
        long first = lockNextId(connection, "entity");
        setNextId(connection, "entity", first + count);
        connection.commit();
        return first;
    }

    /** The next free id of an id space, its allocator row locked until the transaction ends. */
    static long lockNextId(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT next_id FROM id_allocator WHERE name = ? FOR UPDATE")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void setNextId(Connection connection, String name, long next) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE id_allocator SET next_id = ? WHERE name = ?")) {
            update.setLong(1, next);
            update.setString(2, name);
            update.executeUpdate();
        }
    }

    private void copyPostgres(Rows rows) throws SQLException, IOException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (Writer out = new BufferedWriter(new OutputStreamWriter(
                new PGCopyOutputStream(pg, "COPY entity (" + COLUMNS + ") FROM STDIN", 1 << 20), StandardCharsets.UTF_8), 1 << 20)) {
            StringBuilder line = new StringBuilder(160);
            while (rows.hasNext()) {
                line.setLength(0);
                rows.next(line, '\t', "\\N", "");
                out.append(line).append('\n');
            }
        }
    }

    /** Rows of literal values ("(...)"), many to a statement. */
    static void insertValues(Connection connection, String insertInto, List<String> values) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (int from = 0; from < values.size(); from += ROWS_PER_INSERT) {
                s.executeUpdate(insertInto + " VALUES " + String.join(",", values.subList(from, Math.min(values.size(), from + ROWS_PER_INSERT))));
            }
        }
    }

    private void insertMultiRow(Rows rows) throws SQLException {
        StringBuilder sql = new StringBuilder(ROWS_PER_INSERT * 160);
        try (Statement s = connection.createStatement()) {
            while (rows.hasNext()) {
                sql.setLength(0);
                sql.append("INSERT INTO entity (").append(COLUMNS).append(") VALUES ");
                for (int i = 0; i < ROWS_PER_INSERT && rows.hasNext(); i++) {
                    sql.append(i == 0 ? "(" : ",(");
                    rows.next(sql, ',', "NULL", "'");
                    sql.append(')');
                }
                s.executeUpdate(sql.toString());
            }
        }
    }

    /**
     * Counters and aggregates from the rows themselves, one set-based UPDATE per table: the loaded
     * rows, and the stored ones that moved into new cells (their split leaves were zeroed).
     * Aggregate rows match on (cell, kind): every placed kind counts in exactly one layer.
     */
    private void addToCounters(Loaded loaded, CellTree tree, boolean postgres) throws SQLException {
        String added = " FROM entity WHERE (id >= ? AND id < ?) OR (cell_id >= ? AND cell_id < ?)";
        String perCell = "SELECT cell_id, COUNT(*) AS n" + added + " GROUP BY cell_id";
        String perKind = "SELECT cell_id, kind, COUNT(*) AS n, SUM(amount) AS amount, SUM(hp) AS hp" + added + " GROUP BY cell_id, kind";
        String aggregates = "entity_count = a.entity_count + l.n, amount_total = a.amount_total + l.amount,"
                + " hp_total = a.hp_total + l.hp";
        List<String> updates = postgres
                ? List.of("UPDATE cell c SET num_entities = c.num_entities + l.n FROM (" + perCell + ") l WHERE c.id = l.cell_id",
                        "UPDATE cell_aggregate a SET " + aggregates + " FROM (" + perKind + ") l"
                                + " WHERE a.cell_id = l.cell_id AND a.kind = l.kind")
                : List.of("UPDATE cell c JOIN (" + perCell + ") l ON c.id = l.cell_id SET num_entities = c.num_entities + l.n",
                        "UPDATE cell_aggregate a JOIN (" + perKind + ") l ON a.cell_id = l.cell_id AND a.kind = l.kind"
                                + " SET " + aggregates);
        for (String update : updates) {
            try (PreparedStatement s = connection.prepareStatement(update)) {
                s.setLong(1, loaded.firstId());
                s.setLong(2, loaded.endId());
                s.setLong(3, tree.firstNewCellId());
                s.setLong(4, tree.endNewCellId());
                s.executeUpdate();
            }
        }
    }

    /** Fresh statistics, so the planner picks the Morton index range scans for the new row count at once. */
    private void analyze(boolean postgres) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(postgres ? "ANALYZE entity" : "ANALYZE TABLE entity");
        }
    }

    /**
     * Writes the load's pages back before the game runs, so what is measured next is the game, not
     * the load's aftermath: PostgreSQL's checkpoint (otherwise one starts as the load's WAL passes
     * max_wal_size, and every page a unit first touches in it logs a full page image); InnoDB's
     * dirty pages of the table (its page cleaner leaves them while the server is idle).
     */
    private void settle(boolean postgres) throws SQLException {
        try (Statement s = connection.createStatement()) {
            if (postgres) {
                s.execute("CHECKPOINT");
            } else {
                s.execute("FLUSH TABLES entity FOR EXPORT");
                s.execute("UNLOCK TABLES");
            }
        }
    }

    /** The rows to load: positions drawn from the seed up front (the tree needs them all), the cells once it is cut. */
    private static final class Rows {
        private final Loaded ids;
        private final WorldGeometry geometry;
        final double[] x;
        final double[] y;
        final long[] cell;
        private long next;

        Rows(Loaded ids, WorldGeometry geometry, long seed) {
            this.ids = ids;
            this.geometry = geometry;
            int count = (int) ids.count();
            x = new double[count];
            y = new double[count];
            cell = new long[count];
            SplittableRandom random = new SplittableRandom(seed);
            double w = geometry.width();
            double h = geometry.height();
            double[][] towns = {{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 2, h / 2}, {w / 4, 3 * h / 4}};
            for (int i = 0; i < count; i++) {
                if (random.nextDouble() < CROWD_SHARE) {
                    double[] town = towns[random.nextInt(towns.length)];
                    x[i] = clamp(town[0] + random.nextGaussian() * TOWN_SPREAD, w);
                    y[i] = clamp(town[1] + random.nextGaussian() * TOWN_SPREAD, h);
                } else {
                    x[i] = random.nextDouble() * w;
                    y[i] = random.nextDouble() * h;
                }
            }
            this.next = ids.firstId();
        }

        boolean hasNext() {
            return next < ids.endId();
        }

        /** Appends the next row's values in COLUMNS order. */
        void next(StringBuilder row, char separator, String nullValue, String quote) {
            long id = next++;
            int i = (int) (id - ids.firstId());
            EntityKind kind = id < ids.firstNpcId() ? EntityKind.ENTITY_KIND_PLAYER
                    : id < ids.firstNodeId() ? EntityKind.ENTITY_KIND_NPC : EntityKind.ENTITY_KIND_RESOURCE_NODE;
            int hp = switch (kind) {
                case ENTITY_KIND_PLAYER -> PLAYER_HP;
                case ENTITY_KIND_NPC -> NPC_HP;
                default -> 0;
            };
            long gold = kind == EntityKind.ENTITY_KIND_PLAYER ? PLAYER_GOLD : 0;
            long amount = kind == EntityKind.ENTITY_KIND_RESOURCE_NODE ? NODE_AMOUNT : 0;
            String itemType = kind != EntityKind.ENTITY_KIND_RESOURCE_NODE ? nullValue : quote + (id % 2 == 0 ? "ore" : "wood") + quote;
            row.append(id).append(separator).append(kind.getNumber()).append(separator).append(id).append(separator)
                    .append(x[i]).append(separator).append(y[i]).append(separator).append(cell[i]).append(separator)
                    .append(geometry.morton(x[i], y[i])).append(separator).append(hp).append(separator).append(hp).append(separator)
                    .append(gold).append(separator).append(amount).append(separator).append(itemType).append(separator)
                    .append(0).append(separator).append(nullValue).append(separator).append(1);
        }

        private static double clamp(double v, double extent) {
            return Math.max(0, Math.min(Math.nextDown(extent), v));
        }
    }
}
