package io.gamestate.state.repository;

import io.gamestate.store.SqlDialect;
import io.gamestate.state.model.CellRecord;
import io.gamestate.state.model.EntityRecord;
import io.gamestate.state.model.Kinds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Statements of the partition tree: cells created by splits and removed by merges. */
@ApplicationScoped
public class PartitionRepository {

    private final SqlDialect dialect;

    public PartitionRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** Locks the placed entities of the cells, ascending ids (roots: the global lock order). */
    public Uni<List<EntityRecord>> lockEntitiesIn(SqlConnection c, Collection<Long> cellIds) {
        return c.preparedQuery(dialect.sql("SELECT " + RmwRepository.ENTITY_COLUMNS + " FROM entity WHERE cell_id IN ("
                        + SqlDialect.markers(cellIds.size()) + ") ORDER BY id FOR UPDATE"))
                .execute(Tuple.from(List.copyOf(cellIds)))
                .map(rows -> {
                    List<EntityRecord> out = new ArrayList<>();
                    rows.forEach(r -> out.add(RmwRepository.entity(r)));
                    return out;
                });
    }

    /** Ids of the entities in the cells now; once the cells are locked nobody can change this set. */
    public Uni<Set<Long>> memberIds(SqlConnection c, Collection<Long> cellIds) {
        return c.preparedQuery(dialect.sql("SELECT id FROM entity WHERE cell_id IN (" + SqlDialect.markers(cellIds.size()) + ")"))
                .execute(Tuple.from(List.copyOf(cellIds)))
                .map(rows -> {
                    Set<Long> out = new TreeSet<>();
                    rows.forEach(r -> out.add(r.getLong(0)));
                    return out;
                });
    }

    public Uni<List<CellRecord>> children(SqlClient c, long parentId) {
        return c.preparedQuery(dialect.sql("SELECT " + RmwRepository.CELL_COLUMNS + " FROM cell WHERE parent_id = ? ORDER BY id"))
                .execute(Tuple.of(parentId))
                .map(rows -> {
                    List<CellRecord> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(RmwRepository.cell(r));
                    }
                    return out;
                });
    }

    /** New cell rows with their (zero) aggregate rows, so later updates never need to insert. */
    public Uni<Void> insertCells(SqlConnection c, List<CellRecord> cells) {
        List<Tuple> cellRows = new ArrayList<>();
        List<Tuple> aggregateRows = new ArrayList<>();
        for (CellRecord cell : cells) {
            cellRows.add(Tuple.from(new Object[] {cell.id, cell.superblockId, cell.parentId, cell.firstChild, cell.nextSibling,
                cell.depth, cell.partitionType, cell.minX, cell.minY, cell.maxX, cell.maxY, cell.numEntities,
                cell.requestQueue, cell.version}));
            Kinds.PLACED.forEach(kind -> aggregateRows.add(Tuple.of(cell.id,
                    (short) Kinds.layerOf(kind).getNumber(), (short) kind.getNumber())));
        }
        return c.preparedQuery(dialect.sql("INSERT INTO cell (" + RmwRepository.CELL_COLUMNS + ") VALUES ("
                        + SqlDialect.markers(14) + ")")).executeBatch(cellRows)
                .chain(() -> c.preparedQuery(dialect.sql("INSERT INTO cell_aggregate (cell_id, layer, kind, entity_count,"
                        + " amount_total, hp_total) VALUES (?, ?, ?, 0, 0, 0)")).executeBatch(aggregateRows))
                .replaceWithVoid();
    }

    /** Children inherit the ground of the cell they were cut from. */
    public Uni<Void> copyTerrain(SqlConnection c, long fromCellId, Collection<Long> toCellIds) {
        return c.preparedQuery(dialect.sql("INSERT INTO terrain (cell_id, biome, elevation, walkable)"
                        + " SELECT ?, biome, elevation, walkable FROM terrain WHERE cell_id = ?"))
                .executeBatch(toCellIds.stream().map(id -> Tuple.of(id, fromCellId)).toList())
                .replaceWithVoid();
    }

    /** A cell's place in the tree: its first child (null for a leaf) and how it is divided. */
    public Uni<Void> setStructure(SqlConnection c, CellRecord cell) {
        return c.preparedQuery(dialect.sql("UPDATE cell SET first_child = ?, partition_type = ? WHERE id = ?"))
                .execute(Tuple.of(cell.firstChild, cell.partitionType, cell.id))
                .replaceWithVoid();
    }

    /** Removes merged-away cells; their change log stays as history. */
    public Uni<Void> deleteCells(SqlConnection c, Collection<Long> cellIds) {
        List<Tuple> ids = cellIds.stream().map(Tuple::of).toList();
        return c.preparedQuery(dialect.sql("DELETE FROM cell_aggregate WHERE cell_id = ?")).executeBatch(ids)
                .chain(() -> c.preparedQuery(dialect.sql("DELETE FROM terrain WHERE cell_id = ?")).executeBatch(ids))
                .chain(() -> c.preparedQuery(dialect.sql("DELETE FROM cell WHERE id = ?")).executeBatch(ids))
                .replaceWithVoid();
    }
}
