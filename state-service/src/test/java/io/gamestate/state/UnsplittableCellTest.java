package io.gamestate.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamestate.store.StoreFamily;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A crowded leaf already at the minimum cell size starts no split: a split would lock every entity
 * of the cell before finding it cannot cut it, and a bulk-loaded town holds hundreds of such leaves.
 */
@QuarkusTest
@TestProfile(UnsplittableCellTest.NoCellCanSplit.class)
class UnsplittableCellTest {

    public static class NoCellCanSplit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gamestate.partition.automatic", "true",
                    "gamestate.partition.split-threshold", "8",
                    // wider than the world: every cell is already at the minimum size
                    "gamestate.partition.min-cell-size", "1000000");
        }
    }

    @Inject
    TestWorld world;

    @Test
    void aCrowdInACellTooSmallToSplitLocksNothing() {
        world.reset();
        long first = world.player(10, 10, 0);
        // The first player's row stays locked while the cell fills past the threshold: a split would wait for it.
        SqlConnection holder = world.pool().getConnection().await().atMost(TestWorld.WAIT);
        Transaction tx = holder.begin().await().atMost(TestWorld.WAIT);
        try {
            holder.preparedQuery(world.sql("SELECT id FROM entity WHERE id = ? FOR UPDATE")).execute(Tuple.of(first))
                    .await().atMost(TestWorld.WAIT);
            for (int i = 1; i < 12; i++) {
                world.player(10 + i, 10 + i, 0);
            }
            await("no transaction waits for the locked player").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofMillis(50)).until(() -> lockWaits() == 0);
        } finally {
            tx.rollback().await().atMost(TestWorld.WAIT);
            holder.close().await().atMost(TestWorld.WAIT);
        }
        assertThat(world.number("SELECT COUNT(*) FROM cell WHERE parent_id IS NOT NULL")).isZero();
        world.assertInvariants();
    }

    /** Sessions of this database waiting for a row lock. */
    private long lockWaits() {
        return world.number(world.family() == StoreFamily.POSTGRESQL
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                : "SELECT COUNT(*) FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p"
                        + " ON p.ID = t.trx_mysql_thread_id WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()");
    }
}
