package io.gamestate.state;

import static io.gamestate.state.TestWorld.move;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.store.SqlDialect;
import io.gamestate.store.StoreFamily;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What a trace reader sees of an RMW call: the spans from the gRPC call down to each SQL
 * statement, with rules, cells, rows, store family, lock waits and retries as attributes.
 */
@QuarkusTest
@TestProfile(TracingProfile.class)
class TracingTest extends WorldTest {

    @Inject
    InMemorySpanExporter exporter;

    @Inject
    Pool pool;

    @Inject
    SqlDialect dialect;

    @Test
    void anRmwCallIsOneTreeFromTheGrpcCallToEachStatement() {
        long player = world.player(100, 100, 50);
        exporter.reset();

        RmwResult moved = world.apply(move(player, 102, 101));

        SpanData server = awaitSpan(s -> s.getName().equals("gamestate.state.v1.StateService/ApplyRmw")
                && s.getKind() == SpanKind.SERVER);
        SpanData groupCommit = childOf(server, "rmw.group-commit");
        assertThat(groupCommit.getAttributes().get(AttributeKey.longKey("batch.size"))).isEqualTo(1);
        assertThat(eventNames(groupCommit)).contains("batch started");
        SpanData batch = childOf(groupCommit, "rmw.batch");
        assertThat(batch.getAttributes().get(AttributeKey.stringArrayKey("rmw.rules"))).containsExactly("RULE_MOVE");
        assertThat(batch.getAttributes().get(AttributeKey.longKey("rmw.retries"))).isZero();
        SpanData transaction = childOf(batch, "rmw.transaction");
        assertThat(transaction.getAttributes().get(AttributeKey.longKey("rmw.attempt"))).isEqualTo(1);
        assertThat(transaction.getAttributes().get(AttributeKey.stringKey("db.store_family")))
                .isEqualTo(dialect.family().name().toLowerCase());
        assertThat(transaction.getAttributes().get(AttributeKey.longArrayKey("rmw.cell_ids")))
                .containsExactly(moved.getCells(0).getCellId());
        assertThat(transaction.getAttributes().get(AttributeKey.longKey("rmw.rows_updated"))).isEqualTo(1);
        assertThat(transaction.getAttributes().get(AttributeKey.longKey("rmw.change_events"))).isEqualTo(1);
        assertThat(eventNames(transaction)).containsExactly(pipelined()
                // The leaf of the target is known from the player's spawn: the player and the cells are locked first.
                ? new String[] {"locked", "written"}
                // The player is its own root, read before the lock: its cells are locked in the root's round trip.
                : new String[] {"read", "cells locked", "written"});
        List<String> statements = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(transaction.getSpanId()))
                .map(s -> s.getAttributes().get(AttributeKey.stringKey("db.statement"))).toList();
        assertThat(statements).anyMatch(sql -> sql.startsWith("SELECT") && sql.contains("FROM cell") && sql.endsWith("FOR UPDATE"))
                .anyMatch(sql -> sql.startsWith("INSERT INTO entity") && sql.contains(" UPDATE "))
                .anyMatch(sql -> sql.startsWith("INSERT INTO change_log"));
    }

    @Test
    void aLostRaceShowsAsARetriedAttemptWithItsReason() throws Exception {
        long player = world.player(300, 300, 50);
        long cell = world.number("SELECT cell_id FROM entity WHERE id = ?", player);
        exporter.reset();

        // Another transaction holds the cell; once the unit holds the player's row and waits for
        // the cell, the other one asks for the player's row: a deadlock the store breaks by
        // aborting one side. Heavier with writes, the other side is the one kept.
        SqlConnection other = pool.getConnection().await().atMost(TestWorld.WAIT);
        CompletableFuture<RmwResult> moving;
        try {
            Transaction tx = other.begin().await().atMost(TestWorld.WAIT);
            other.query("UPDATE cell SET request_queue = request_queue WHERE id <> " + cell).execute().await().atMost(TestWorld.WAIT);
            other.query("SELECT id FROM cell WHERE id = " + cell + " FOR UPDATE").execute().await().atMost(TestWorld.WAIT);
            moving = world.client().applyRmw(move(player, 301, 300)).subscribeAsCompletionStage();
            await().atMost(Duration.ofSeconds(10)).until(() -> world.number(lockWaitsSql("cell")) > 0);
            other.query("SELECT id FROM entity WHERE id = " + player + " FOR UPDATE").execute()
                    .onFailure().recoverWithNull().await().atMost(TestWorld.WAIT);
            tx.rollback().await().atMost(TestWorld.WAIT);
        } finally {
            other.close().await().atMost(TestWorld.WAIT);
        }

        assertThat(moving.get().getCode()).isEqualTo(Status.Code.OK.value());
        // The spawn's spans may still come in: this test's batch is the move's.
        SpanData batch = awaitSpan(s -> s.getName().equals("rmw.batch")
                && s.getAttributes().get(AttributeKey.stringArrayKey("rmw.rules")).contains("RULE_MOVE"));
        assertThat(batch.getAttributes().get(AttributeKey.longKey("rmw.retries"))).isEqualTo(1);
        assertThat(batch.getAttributes().get(AttributeKey.stringArrayKey("rmw.retry_reasons"))).containsExactly("deadlock");
        List<SpanData> attempts = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("rmw.transaction") && s.getParentSpanId().equals(batch.getSpanId()))
                .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos())).toList();
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).getAttributes().get(AttributeKey.stringKey("rmw.retry_reason"))).isEqualTo("deadlock");
        assertThat(eventNames(attempts.get(0))).containsExactly(pipelined() ? new String[] {"exception"} : new String[] {"read", "exception"});
        assertThat(attempts.get(1).getAttributes().get(AttributeKey.longKey("rmw.attempt"))).isEqualTo(2);
        assertThat(attempts.get(1).getAttributes().get(AttributeKey.stringKey("rmw.retry_reason"))).isNull();
    }

    @Test
    void aRootThatLeftItsCellWhileItsUnitWaitedForTheLockIsFoundWhereItWent() throws Exception {
        long player = world.player(500, 500, 50);
        exporter.reset();

        // Both moves queue for the player's row behind this transaction; the far move goes first
        // and takes the player out of the cell it was in when the near move started.
        SqlConnection other = pool.getConnection().await().atMost(TestWorld.WAIT);
        CompletableFuture<RmwResult> far;
        CompletableFuture<RmwResult> near;
        try {
            Transaction tx = other.begin().await().atMost(TestWorld.WAIT);
            other.query("SELECT id FROM entity WHERE id = " + player + " FOR UPDATE").execute().await().atMost(TestWorld.WAIT);
            far = world.client().applyRmw(move(player, 900, 900)).subscribeAsCompletionStage();
            await().atMost(Duration.ofSeconds(10)).until(() -> world.number(lockWaitsSql("entity")) == 1);
            near = world.client().applyRmw(move(player, 501, 500)).subscribeAsCompletionStage();
            await().atMost(Duration.ofSeconds(10)).until(() -> world.number(lockWaitsSql("entity")) == 2);
            tx.rollback().await().atMost(TestWorld.WAIT);
        } finally {
            other.close().await().atMost(TestWorld.WAIT);
        }

        assertThat(far.get().getCode()).isEqualTo(Status.Code.OK.value());
        assertThat(near.get().getCode()).as(near.get().getMessage()).isEqualTo(Status.Code.OK.value());
        assertThat(world.rows("SELECT x, y FROM entity WHERE id = ?", player).get(0).deepToString()).isEqualTo("[501.0,500.0]");
        if (pipelined()) {
            // The near move locked first: the store chose its cells behind the player's lock, where the far move left it.
            await().atMost(Duration.ofSeconds(10)).until(() -> exporter.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals("rmw.transaction")
                            && Long.valueOf(1).equals(s.getAttributes().get(AttributeKey.longKey("rmw.rows_updated"))))
                    .count() == 2);
            assertThat(find(s -> s.getName().equals("rmw.transaction")
                    && Long.valueOf(1).equals(s.getAttributes().get(AttributeKey.longKey("rmw.units_lost"))))).isEmpty();
        } else {
            // The near move read the player before it locked it, and locked the cell it read: its unit is lost and runs again.
            SpanData lost = awaitSpan(s -> s.getName().equals("rmw.transaction")
                    && Long.valueOf(1).equals(s.getAttributes().get(AttributeKey.longKey("rmw.units_lost"))));
            assertThat(lost.getAttributes().get(AttributeKey.longKey("rmw.rows_updated"))).isZero();
        }
        world.assertInvariants();
    }

    /** Transactions waiting now for a row lock of the table (the unit, once it holds the rows it locks first). */
    private String lockWaitsSql(String table) {
        return switch (dialect.family()) {
            case POSTGRESQL -> "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND query LIKE '%FROM " + table + " %FOR UPDATE%'";
            case MYSQL -> "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'"
                    + " AND trx_query LIKE '%FROM " + table + " %FOR UPDATE%'";
        };
    }

    /** COMMIT pipelined: the PostgreSQL family, where units that touch only their named roots lock first. */
    private boolean pipelined() {
        return dialect.family() == StoreFamily.POSTGRESQL;
    }

    private SpanData awaitSpan(Predicate<SpanData> which) {
        await().atMost(Duration.ofSeconds(10)).until(() -> find(which).isPresent());
        return find(which).orElseThrow();
    }

    private SpanData childOf(SpanData parent, String name) {
        return find(s -> s.getName().equals(name) && s.getParentSpanId().equals(parent.getSpanId()))
                .orElseThrow(() -> new AssertionError("no " + name + " span under " + parent.getName()
                        + "; spans: " + exporter.getFinishedSpanItems().stream().map(SpanData::getName).toList()));
    }

    private Optional<SpanData> find(Predicate<SpanData> which) {
        return exporter.getFinishedSpanItems().stream().filter(which).findFirst();
    }

    private static List<String> eventNames(SpanData span) {
        return span.getEvents().stream().map(EventData::getName).toList();
    }
}
