package io.gamestate.devstack.world;

import io.gamestate.common.world.Partitioner;
import io.gamestate.common.world.Partitioner.Choice;
import io.gamestate.common.world.Partitioner.Rect;
import io.gamestate.common.world.WorldGeometry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The partition tree during a load: the stored cells, locked, then the cells state-service would
 * split off once the loaded entities are in. Crowded leaves are cut with state-service's
 * Partitioner and settings, recursively, until every leaf holds at most the split threshold or
 * is too small to split: the world state-service's automatic partitioning converges to, without
 * the cascade of splits the first commits in a crowded leaf would otherwise start.
 *
 * <p>Written as PartitionService.split writes: children LCRS-linked under their parent, terrain
 * inherited, one aggregate row per (cell, layer, kind); a split leaf keeps no entities, so its
 * num_entities and aggregates are 0. Unlike a split, no change event and no cell version bump
 * (the load is the starting state, not a change): new cells start at version 0.
 */
final class CellTree {

    /** A position in the tree: a loaded entity, or a stored one in a leaf the load splits. */
    private record Member(long id, double x, double y, boolean stored) {
    }

    private static final class Cell {
        final long id;
        final int superblock;
        final int depth;
        final Rect rect;
        final Cell parent;
        final boolean stored;
        final int storedEntities;
        final List<Cell> children = new ArrayList<>();
        final List<Member> members = new ArrayList<>();
        Partitioner.Type type = Partitioner.Type.NONE;

        Cell(long id, int superblock, int depth, Rect rect, Cell parent, boolean stored, int storedEntities) {
            this.id = id;
            this.superblock = superblock;
            this.depth = depth;
            this.rect = rect;
            this.parent = parent;
            this.stored = stored;
            this.storedEntities = storedEntities;
        }

        boolean isLeaf() {
            return children.isEmpty();
        }

        String nextSibling() {
            int i = parent.children.indexOf(this);
            return i + 1 == parent.children.size() ? "NULL" : Long.toString(parent.children.get(i + 1).id);
        }
    }

    private final Connection connection;
    private final WorldGeometry geometry;
    private final int splitThreshold;
    private final double minCellSize;
    private final Map<Integer, Cell> roots = new HashMap<>();
    private final List<Cell> storedLeaves = new ArrayList<>();
    /** Stored leaves the load splits, and the cells it creates (ids ascending, each stored leaf's in one run). */
    private final List<Cell> splitLeaves = new ArrayList<>();
    private final List<Cell> created = new ArrayList<>();
    private long firstNewCellId;
    private long nextCellId;

    private CellTree(Connection connection, WorldGeometry geometry, int splitThreshold, double minCellSize) {
        this.connection = connection;
        this.geometry = geometry;
        this.splitThreshold = splitThreshold;
        this.minCellSize = minCellSize;
    }

    /** Locks every cell (ascending ids, as state-service does) so no split or move interleaves, and reads the tree. */
    static CellTree lock(Connection connection, WorldGeometry geometry, int splitThreshold, double minCellSize) throws SQLException {
        CellTree tree = new CellTree(connection, geometry, splitThreshold, minCellSize);
        Map<Long, Cell> byId = new HashMap<>();
        Map<Long, Long> parentOf = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, superblock_id, parent_id, depth, min_x, min_y, max_x, max_y, num_entities"
                     + " FROM cell ORDER BY id FOR UPDATE")) {
            while (rs.next()) {
                Cell cell = new Cell(rs.getLong(1), rs.getInt(2), rs.getInt(4),
                        new Rect(rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8)), null, true, rs.getInt(9));
                byId.put(cell.id, cell);
                long parent = rs.getLong(3);
                if (rs.wasNull()) {
                    tree.roots.put(cell.superblock, cell);
                } else {
                    parentOf.put(cell.id, parent);
                }
            }
        }
        parentOf.forEach((child, parent) -> byId.get(parent).children.add(byId.get(child)));
        byId.values().stream().filter(Cell::isLeaf).forEach(tree.storedLeaves::add);
        return tree;
    }

    /** A loaded entity, in the stored leaf that holds its position. */
    void add(long id, double x, double y) {
        Cell cell = roots.get(geometry.superblockAt(x, y));
        while (!cell.isLeaf()) {
            cell = cell.children.stream().filter(c -> c.rect.contains(x, y)).findFirst().orElseThrow();
        }
        cell.members.add(new Member(id, x, y, false));
    }

    /**
     * Splits every stored leaf the load crowds, taking cell ids from {@code id_allocator} (its row
     * stays locked until the load commits, so state-service takes its next block after these).
     */
    void split() throws SQLException {
        List<Cell> crowded = storedLeaves.stream()
                .filter(l -> l.storedEntities + l.members.size() > splitThreshold && Partitioner.canSplit(l.rect, minCellSize))
                .toList();
        addStoredMembers(crowded);
        firstNewCellId = nextCellId = WorldLoader.lockNextId(connection, "cell");
        for (Cell leaf : crowded) {
            splitLeaves.add(leaf);
            split(leaf);
        }
        WorldLoader.setNextId(connection, "cell", nextCellId);
    }

    private void split(Cell cell) {
        if (cell.members.size() <= splitThreshold) {
            return;
        }
        Choice choice = Partitioner.choose(cell.rect, cell.members.stream().map(m -> new double[] {m.x(), m.y()}).toList(),
                splitThreshold, minCellSize);
        if (choice == null) {
            return;
        }
        cell.type = choice.type();
        for (Rect r : choice.children()) {
            Cell child = new Cell(nextCellId++, cell.superblock, cell.depth + 1, r, cell, false, 0);
            cell.children.add(child);
            created.add(child);
        }
        for (Member m : cell.members) { // the first child holding it, as PartitionService places entities
            cell.children.stream().filter(c -> c.rect.contains(m.x(), m.y())).findFirst().orElseThrow().members.add(m);
        }
        cell.members.clear();
        cell.children.forEach(this::split);
    }

    /** The entities already stored in the leaves about to split: they move with the split. */
    private void addStoredMembers(List<Cell> leaves) throws SQLException {
        Map<Long, Cell> byId = leaves.stream().collect(Collectors.toMap(c -> c.id, c -> c));
        for (int from = 0; from < leaves.size(); from += 1000) {
            String ids = leaves.subList(from, Math.min(leaves.size(), from + 1000)).stream()
                    .map(c -> Long.toString(c.id)).collect(Collectors.joining(","));
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, x, y, cell_id FROM entity WHERE cell_id IN (" + ids + ")")) {
                while (rs.next()) {
                    byId.get(rs.getLong(4)).members.add(new Member(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), true));
                }
            }
        }
    }

    /** The leaf each loaded entity ends in, after the split: cells[id - firstId]. */
    void placeLoaded(long firstId, long[] cells) {
        for (List<Cell> group : List.of(storedLeaves, created)) {
            for (Cell cell : group) {
                for (Member m : cell.members) { // a split empties its cell: only leaves have members
                    if (!m.stored()) {
                        cells[(int) (m.id() - firstId)] = cell.id;
                    }
                }
            }
        }
    }

    /** The cell ids the load created: [first, end). */
    long firstNewCellId() {
        return firstNewCellId;
    }

    long endNewCellId() {
        return nextCellId;
    }

    /** The new cells, their terrain and aggregate rows, the split leaves' structure, and the stored entities that moved. */
    void write() throws SQLException {
        List<String> rows = new ArrayList<>(created.size());
        for (Cell c : created) {
            Cell first = c.isLeaf() ? null : c.children.get(0);
            rows.add("(" + c.id + "," + c.superblock + "," + c.parent.id + "," + (first == null ? "NULL" : first.id) + ","
                    + c.nextSibling() + "," + c.depth + "," + c.type.number() + "," + c.rect.minX() + "," + c.rect.minY()
                    + "," + c.rect.maxX() + "," + c.rect.maxY() + ",0,0,0)");
        }
        WorldLoader.insertValues(connection, "INSERT INTO cell (id, superblock_id, parent_id, first_child, next_sibling, depth,"
                + " partition_type, min_x, min_y, max_x, max_y, num_entities, request_queue, version)", rows);
        try (PreparedStatement structure = connection.prepareStatement(
                     "UPDATE cell SET first_child = ?, partition_type = ?, num_entities = 0 WHERE id = ?");
             PreparedStatement aggregates = connection.prepareStatement(
                     "UPDATE cell_aggregate SET entity_count = 0, amount_total = 0, hp_total = 0 WHERE cell_id = ?");
             PreparedStatement terrain = connection.prepareStatement("INSERT INTO terrain (cell_id, biome, elevation, walkable)"
                     + " SELECT c.id, t.biome, t.elevation, t.walkable FROM cell c, terrain t"
                     + " WHERE t.cell_id = ? AND c.id >= ? AND c.id < ?");
             PreparedStatement aggregateRows = connection.prepareStatement("INSERT INTO cell_aggregate"
                     + " (cell_id, layer, kind, entity_count, amount_total, hp_total) SELECT c.id, a.layer, a.kind, 0, 0, 0"
                     + " FROM cell c, cell_aggregate a WHERE a.cell_id = ? AND c.id >= ? AND c.id < ?")) {
            for (int i = 0; i < splitLeaves.size(); i++) {
                Cell leaf = splitLeaves.get(i);
                long end = i + 1 < splitLeaves.size() ? splitLeaves.get(i + 1).children.get(0).id : nextCellId;
                structure.setLong(1, leaf.children.get(0).id);
                structure.setInt(2, leaf.type.number());
                structure.setLong(3, leaf.id);
                structure.addBatch();
                aggregates.setLong(1, leaf.id);
                aggregates.addBatch();
                // Children inherit their ancestor's rows. One at a time: MariaDB's bulk protocol refuses INSERT ... SELECT.
                for (PreparedStatement copy : List.of(terrain, aggregateRows)) {
                    copy.setLong(1, leaf.id);
                    copy.setLong(2, leaf.children.get(0).id);
                    copy.setLong(3, end);
                    copy.executeUpdate();
                }
            }
            structure.executeBatch();
            aggregates.executeBatch();
        }
        moveStoredEntities();
    }

    /** Stored entities of split leaves go to the new leaf holding them, a changed row as a split leaves it. */
    private void moveStoredEntities() throws SQLException {
        try (PreparedStatement move = connection.prepareStatement("UPDATE entity SET cell_id = ?, version = version + 1 WHERE id = ?")) {
            int batched = 0;
            for (Cell leaf : created) {
                for (Member m : leaf.members) {
                    if (m.stored()) {
                        move.setLong(1, leaf.id);
                        move.setLong(2, m.id());
                        move.addBatch();
                        if (++batched % 1000 == 0) {
                            move.executeBatch();
                        }
                    }
                }
            }
            move.executeBatch();
        }
    }
}
