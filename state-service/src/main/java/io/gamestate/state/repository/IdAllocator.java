package io.gamestate.state.repository;

import io.gamestate.store.SqlDialect;
import io.gamestate.state.config.StateConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.PrimitiveIterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;

/**
 * Hi/lo ids: each service instance takes a block of ids from {@code id_allocator} in a short
 * transaction of its own and hands them out from memory. Works the same on every engine of both
 * families (no sequences or auto-increment columns to tell apart).
 */
@ApplicationScoped
public class IdAllocator {

    /** Entities and effects share one id space. */
    public static final String ENTITY_IDS = "entity";
    /** Cells created by splits; root cells take ids 1..superblocks. */
    public static final String CELL_IDS = "cell";

    private final Pool pool;
    private final SqlDialect dialect;
    private final int blockSize;
    private final Map<String, Block> blocks = new ConcurrentHashMap<>();

    public IdAllocator(Pool pool, SqlDialect dialect, StateConfig config) {
        this.pool = pool;
        this.dialect = dialect;
        this.blockSize = config.rmw().idBlockSize();
    }

    /** n fresh ids of the named id space. */
    public Uni<PrimitiveIterator.OfLong> reserve(String name, int n) {
        if (n == 0) {
            return Uni.createFrom().item(LongStream.empty().iterator());
        }
        Block block = blocks.computeIfAbsent(name, k -> new Block());
        PrimitiveIterator.OfLong local = block.take(n);
        if (local != null) {
            return Uni.createFrom().item(local);
        }
        int size = Math.max(blockSize, n);
        return fetchBlock(name, size).map(start -> block.refill(start, size, n));
    }

    private Uni<Long> fetchBlock(String name, int size) {
        return pool.withTransaction(c -> c
                .preparedQuery(dialect.sql("SELECT next_id FROM id_allocator WHERE name = ? FOR UPDATE"))
                .execute(Tuple.of(name))
                .map(rows -> rows.iterator().next().getLong(0))
                .call(start -> c.preparedQuery(dialect.sql("UPDATE id_allocator SET next_id = ? WHERE name = ?"))
                        .execute(Tuple.of(start + size, name))));
    }

    /** The ids of one space fetched but not yet handed out. */
    private static final class Block {
        private long next;
        private long end;

        synchronized PrimitiveIterator.OfLong take(int n) {
            if (end - next < n) {
                return null;
            }
            long start = next;
            next += n;
            return LongStream.range(start, start + n).iterator();
        }

        /** Hands out the first n ids of a new block and keeps the rest. */
        synchronized PrimitiveIterator.OfLong refill(long start, int size, int n) {
            next = start + n;
            end = start + size;
            return LongStream.range(start, start + n).iterator();
        }
    }
}
