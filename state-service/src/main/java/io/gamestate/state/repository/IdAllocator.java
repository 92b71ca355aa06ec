package io.gamestate.state.repository;

import io.gamestate.state.config.StateConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.PrimitiveIterator;
import java.util.stream.LongStream;

/**
 * Hi/lo ids: each service instance takes a block of ids from {@code id_allocator} in a short
 * transaction of its own and hands them out from memory. Works the same on every engine of both
 * families (no sequences or auto-increment columns to tell apart).
 */
@ApplicationScoped
public class IdAllocator {

    public static final String ENTITY_IDS = "entity";

    private final Pool pool;
    private final SqlDialect dialect;
    private final int blockSize;
    private long next;
    private long end;

    public IdAllocator(Pool pool, SqlDialect dialect, StateConfig config) {
        this.pool = pool;
        this.dialect = dialect;
        this.blockSize = config.rmw().idBlockSize();
    }

    /** n fresh entity ids. */
    public Uni<PrimitiveIterator.OfLong> reserve(int n) {
        if (n == 0) {
            return Uni.createFrom().item(LongStream.empty().iterator());
        }
        PrimitiveIterator.OfLong local = takeLocal(n);
        if (local != null) {
            return Uni.createFrom().item(local);
        }
        int size = Math.max(blockSize, n);
        return fetchBlock(size).map(start -> {
            synchronized (this) {
                next = start + n;
                end = start + size;
            }
            return LongStream.range(start, start + n).iterator();
        });
    }

    private synchronized PrimitiveIterator.OfLong takeLocal(int n) {
        if (end - next < n) {
            return null;
        }
        long start = next;
        next += n;
        return LongStream.range(start, start + n).iterator();
    }

    private Uni<Long> fetchBlock(int size) {
        return pool.withTransaction(c -> c
                .preparedQuery(dialect.sql("SELECT next_id FROM id_allocator WHERE name = ? FOR UPDATE"))
                .execute(Tuple.of(ENTITY_IDS))
                .map(rows -> rows.iterator().next().getLong(0))
                .call(start -> c.preparedQuery(dialect.sql("UPDATE id_allocator SET next_id = ? WHERE name = ?"))
                        .execute(Tuple.of(start + size, ENTITY_IDS))));
    }
}
