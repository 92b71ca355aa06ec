package io.gamestate.state;

import static io.gamestate.state.TestWorld.move;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.store.StoreFamily;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A transaction the store does not finish in time answers UNAVAILABLE and gives its slot back:
 * the service goes on serving, and the unit, sent again, applies once.
 */
@QuarkusTest
@TestProfile(TransactionTimeoutTest.ShortTimeout.class)
class TransactionTimeoutTest {

    public static class ShortTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gamestate.rmw.transaction-timeout", "1s");
        }
    }

    @Inject
    TestWorld world;

    @Test
    void aTransactionPastItsTimeoutIsUnavailableAndTheServiceGoesOn() {
        long held = world.player(100, 100, 0);
        long free = world.player(900, 900, 0);
        RmwUnit blocked = move(held, 101, 100);
        SqlConnection other = world.pool().getConnection().await().atMost(TestWorld.WAIT);
        try {
            Transaction holding = other.begin().await().atMost(TestWorld.WAIT);
            other.query("SELECT id FROM entity WHERE id = " + held + " FOR UPDATE").execute().await().atMost(TestWorld.WAIT);

            Throwable timedOut = catchThrowable(() -> world.client().applyRmw(blocked).await().atMost(TestWorld.WAIT));
            assertThat(Status.fromThrowable(timedOut).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(Status.fromThrowable(timedOut).getDescription()).contains("no answer from the store in");
            // More units than group commit has transactions: none waits for the stuck one.
            for (int i = 0; i < 4; i++) {
                RmwResult moved = world.client().applyRmw(move(free, 901 + i, 900)).await().atMost(TestWorld.WAIT);
                assertThat(moved.getCode()).isEqualTo(Status.Code.OK.value());
            }
            holding.rollback().await().atMost(TestWorld.WAIT);
            // The stuck attempt was rolled back, not handed back to the pool with its transaction open.
            await().atMost(TestWorld.WAIT).untilAsserted(() -> assertThat(world.number(openTransactions())).isZero());
        } finally {
            other.close().await().atMost(TestWorld.WAIT);
        }

        RmwResult again = world.client().applyRmw(blocked).await().atMost(TestWorld.WAIT);
        assertThat(again.getCode()).isEqualTo(Status.Code.OK.value());
        assertThat(world.number("SELECT COUNT(*) FROM change_log WHERE request_id = ?", blocked.getRequestId())).isEqualTo(1);
    }

    /** Sessions on this test's database with a transaction open and no statement running. */
    private String openTransactions() {
        return world.family() == StoreFamily.POSTGRESQL
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'"
                : "SELECT COUNT(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p"
                        + " ON p.id = t.trx_mysql_thread_id WHERE p.db = DATABASE() AND p.command = 'Sleep'";
    }
}
