package io.gamestate.state.world;

import io.gamestate.common.world.WorldConfig;
import io.gamestate.common.world.WorldGeometry;
import io.gamestate.proto.state.v1.PartitionType;
import io.gamestate.state.model.CellRecord;
import io.gamestate.state.repository.IdAllocator;
import io.gamestate.state.repository.PartitionRepository;
import io.gamestate.store.SqlDialect;
import io.gamestate.state.repository.StoreErrors;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jboss.logging.Logger;

/**
 * Creates the world on first start (superblocks as unsplit root cells, their terrain, their
 * aggregate rows) and checks on every later start that the configured world is the stored one.
 * Replicas starting together race on the world row's primary key; the losers just check.
 */
@ApplicationScoped
public class WorldBootstrap {

    private static final Logger LOG = Logger.getLogger(WorldBootstrap.class);
    private static final String[] BIOMES = {"plains", "forest", "hills", "desert", "swamp", "water"};

    private final Pool pool;
    private final SqlDialect dialect;
    private final PartitionRepository partitions;
    private final WorldGeometry geometry;
    private final long seed;
    private volatile boolean ready;

    public WorldBootstrap(Pool pool, SqlDialect dialect, PartitionRepository partitions, WorldGeometry geometry,
                          WorldConfig world) {
        this.pool = pool;
        this.dialect = dialect;
        this.partitions = partitions;
        this.geometry = geometry;
        this.seed = world.seed();
    }

    void onStart(@Observes StartupEvent event) {
        ensureWorld().await().indefinitely();
        ready = true;
    }

    public boolean ready() {
        return ready;
    }

    Uni<Void> ensureWorld() {
        return storedWorld().chain(stored -> {
            if (stored != null) {
                return Uni.createFrom().voidItem().invoke(() -> check(stored));
            }
            return pool.withTransaction(this::create)
                    .invoke(() -> LOG.infof("created a %.0f x %.0f world of %d superblocks in the %s",
                            geometry.width(), geometry.height(), geometry.superblockCount(), dialect.store()))
                    .onFailure(StoreErrors::isUniqueViolation)
                    .recoverWithUni(e -> storedWorld().invoke(this::check).replaceWithVoid());
        });
    }

    private Uni<Row> storedWorld() {
        return pool.preparedQuery(dialect.sql("SELECT width, height, superblock_size FROM world WHERE id = ?"))
                .execute(Tuple.of((short) 1))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null);
    }

    private void check(Row stored) {
        if (stored.getDouble(0) != geometry.width() || stored.getDouble(1) != geometry.height()
                || stored.getDouble(2) != geometry.superblockSize()) {
            throw new IllegalStateException("the database holds a " + stored.getDouble(0) + " x " + stored.getDouble(1)
                    + " world with superblocks of " + stored.getDouble(2) + "; gamestate.world.* says "
                    + geometry.width() + " x " + geometry.height() + " / " + geometry.superblockSize());
        }
    }

    private Uni<Void> create(SqlConnection c) {
        List<CellRecord> cells = new ArrayList<>();
        List<Tuple> terrain = new ArrayList<>();
        double size = geometry.superblockSize();
        for (int sb = 0; sb < geometry.superblockCount(); sb++) {
            CellRecord cell = new CellRecord();
            cell.id = WorldGeometry.rootCellId(sb);
            cell.superblockId = sb;
            cell.partitionType = (short) PartitionType.PARTITION_NONE_VALUE;
            cell.minX = (sb % geometry.superblocksX()) * size;
            cell.minY = (sb / geometry.superblocksX()) * size;
            cell.maxX = Math.min(cell.minX + size, geometry.width());
            cell.maxY = Math.min(cell.minY + size, geometry.height());
            cells.add(cell);
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + sb);
            String biome = BIOMES[random.nextInt(BIOMES.length)];
            terrain.add(Tuple.of(cell.id, biome, random.nextInt(1000), (short) (biome.equals("water") ? 0 : 1)));
        }
        long firstFreeCellId = WorldGeometry.rootCellId(geometry.superblockCount());
        return c.preparedQuery(dialect.sql("INSERT INTO world (id, width, height, superblock_size, superblocks_x, superblocks_y)"
                        + " VALUES (?, ?, ?, ?, ?, ?)"))
                .execute(Tuple.of((short) 1, geometry.width(), geometry.height(), size,
                        geometry.superblocksX(), geometry.superblocksY()))
                .chain(() -> partitions.insertCells(c, cells))
                .chain(() -> c.preparedQuery(dialect.sql("INSERT INTO terrain (cell_id, biome, elevation, walkable)"
                        + " VALUES (?, ?, ?, ?)")).executeBatch(terrain))
                .chain(() -> c.preparedQuery(dialect.sql("INSERT INTO id_allocator (name, next_id) VALUES (?, ?), (?, ?)"))
                        .execute(Tuple.of(IdAllocator.ENTITY_IDS, 1L, IdAllocator.CELL_IDS, firstFreeCellId)))
                .replaceWithVoid();
    }
}
