package io.gamestate.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.Damage;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Harvest;
import io.gamestate.proto.state.v1.Heal;
import io.gamestate.proto.state.v1.Move;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.SpawnEntityRequest;
import io.gamestate.proto.state.v1.StateService;
import io.gamestate.proto.state.v1.Trade;
import io.gamestate.proto.state.v1.TransferItem;
import io.gamestate.store.SqlDialect;
import io.gamestate.store.StoreFamily;
import io.quarkus.grpc.GrpcClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.gamestate.common.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Test fixture on the real store: resets the world between tests, spawns through the real gRPC
 * API, and checks the invariants (counters and aggregates equal a recount of the base rows, LCRS
 * links consistent, change log gap-free) with SQL of its own.
 */
@ApplicationScoped
// For every @QuarkusTest of the module: the database exists before Quarkus starts and migrates it.
@QuarkusTestResource(value = TestDatabase.class, initArgs = @ResourceArg(name = "name", value = "gamestate_test"))
public class TestWorld {

    static final Duration WAIT = Duration.ofSeconds(30);

    @GrpcClient("state")
    StateService state;

    @Inject
    Pool pool;

    @Inject
    SqlDialect dialect;

    public StateService client() {
        return state;
    }

    public StoreFamily family() {
        return dialect.family();
    }

    /** The service's own pool, for a test that plays another transaction on the store. */
    public Pool pool() {
        return pool;
    }

    public String sql(String portable) {
        return dialect.sql(portable);
    }

    public void reset() {
        for (String sql : List.of("DELETE FROM entity", "DELETE FROM cell_aggregate WHERE cell_id IN"
                + " (SELECT id FROM cell WHERE parent_id IS NOT NULL)", "DELETE FROM terrain WHERE cell_id IN"
                + " (SELECT id FROM cell WHERE parent_id IS NOT NULL)", "DELETE FROM cell WHERE parent_id IS NOT NULL",
                "UPDATE cell SET first_child = NULL, partition_type = 0", "DELETE FROM effect", "DELETE FROM change_log",
                "DELETE FROM rmw_request",
                "UPDATE cell SET num_entities = 0, request_queue = 0, version = 0",
                "UPDATE cell_aggregate SET entity_count = 0, amount_total = 0, hp_total = 0")) {
            pool.query(sql).execute().await().atMost(WAIT);
        }
    }

    // ---- spawning --------------------------------------------------------------------------

    public long player(double x, double y, long gold) {
        return spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER).setPosition(pos(x, y)).setGold(gold));
    }

    public long npc(double x, double y, int hp) {
        return spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_NPC).setPosition(pos(x, y)).setHp(hp));
    }

    public long node(double x, double y, String itemType, long amount) {
        return spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_RESOURCE_NODE).setPosition(pos(x, y))
                .setItemType(itemType).setAmount(amount));
    }

    public long held(EntityKind kind, long parentId, String itemType, long amount) {
        return spawn(Spawn.newBuilder().setKind(kind).setParentId(parentId).setItemType(itemType).setAmount(amount));
    }

    public long spawn(Spawn.Builder spawn) {
        RmwResult r = state.spawnEntity(SpawnEntityRequest.newBuilder().setRequestId(newId()).setSpawn(spawn).build())
                .await().atMost(WAIT);
        return r.getEntities(0).getId();
    }

    // ---- units -----------------------------------------------------------------------------

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    public static Position pos(double x, double y) {
        return Position.newBuilder().setX(x).setY(y).build();
    }

    public static RmwUnit move(long id, double x, double y) {
        return RmwUnit.newBuilder().setRequestId(newId()).setMove(Move.newBuilder().setEntityId(id).setTo(pos(x, y))).build();
    }

    public static RmwUnit damage(long attacker, long target, int amount) {
        return RmwUnit.newBuilder().setRequestId(newId())
                .setDamage(Damage.newBuilder().setAttackerId(attacker).setTargetId(target).setAmount(amount)).build();
    }

    public static RmwUnit heal(long target, int amount) {
        return RmwUnit.newBuilder().setRequestId(newId()).setHeal(Heal.newBuilder().setTargetId(target).setAmount(amount)).build();
    }

    public static RmwUnit harvest(long player, long node, long amount, long container) {
        return RmwUnit.newBuilder().setRequestId(newId()).setHarvest(Harvest.newBuilder().setPlayerId(player)
                .setNodeId(node).setAmount(amount).setContainerId(container)).build();
    }

    public static RmwUnit trade(long a, long b, long goldAToB, long goldBToA, List<Long> itemsAToB, List<Long> itemsBToA) {
        return RmwUnit.newBuilder().setRequestId(newId()).setTrade(Trade.newBuilder().setPlayerA(a).setPlayerB(b)
                .setGoldAToB(goldAToB).setGoldBToA(goldBToA).addAllItemsAToB(itemsAToB).addAllItemsBToA(itemsBToA)).build();
    }

    public static RmwUnit transfer(long item, long toParent) {
        return RmwUnit.newBuilder().setRequestId(newId())
                .setTransferItem(TransferItem.newBuilder().setItemId(item).setToParentId(toParent)).build();
    }

    public RmwResult apply(RmwUnit unit) {
        return state.applyRmw(unit).await().atMost(WAIT);
    }

    public List<RmwResult> batch(List<RmwUnit> units) {
        return state.applyBatch(ApplyBatchRequest.newBuilder().addAllUnits(units).build()).await().atMost(WAIT).getResultsList();
    }

    // ---- reading the store directly ----------------------------------------------------------

    public List<Row> rows(String sql, Object... args) {
        List<Row> out = new ArrayList<>();
        pool.preparedQuery(dialect.sql(sql)).execute(Tuple.from(args)).await().atMost(WAIT).forEach(out::add);
        return out;
    }

    public long number(String sql, Object... args) {
        Row row = rows(sql, args).get(0);
        Object v = row.getValue(0);
        return v == null ? 0 : ((Number) v).longValue();
    }

    /** Every row of every table, as text: equal snapshots mean nothing was written. */
    public List<String> snapshot() {
        List<String> out = new ArrayList<>();
        for (String table : List.of("entity ORDER BY id", "cell ORDER BY id", "cell_aggregate ORDER BY cell_id, layer, kind",
                "effect ORDER BY id", "change_log ORDER BY cell_id, cell_version", "rmw_request ORDER BY request_id",
                "id_allocator ORDER BY name")) {
            String select = table.startsWith("id_allocator") ? "SELECT name FROM " + table : "SELECT * FROM " + table;
            rows(select).forEach(r -> out.add(table + ": " + r.deepToString()));
        }
        return out;
    }

    /** Counters, aggregates, trees and change log agree with the base rows. */
    public void assertInvariants() {
        assertThat(rows("SELECT c.id, c.num_entities, (SELECT COUNT(*) FROM entity e WHERE e.cell_id = c.id) FROM cell c"
                + " WHERE c.num_entities <> (SELECT COUNT(*) FROM entity e WHERE e.cell_id = c.id)"))
                .as("num_entities equals the entities in the cell").isEmpty();
        assertThat(rows("SELECT a.cell_id, a.layer, a.kind FROM cell_aggregate a WHERE"
                + " a.entity_count <> (SELECT COUNT(*) FROM entity e WHERE e.cell_id = a.cell_id AND e.kind = a.kind)"
                + " OR a.amount_total <> (SELECT COALESCE(SUM(e.amount), 0) FROM entity e WHERE e.cell_id = a.cell_id AND e.kind = a.kind)"
                + " OR a.hp_total <> (SELECT COALESCE(SUM(e.hp), 0) FROM entity e WHERE e.cell_id = a.cell_id AND e.kind = a.kind)"))
                .as("aggregates equal a recount of the base rows").isEmpty();
        assertThat(rows("SELECT e.id FROM entity e WHERE e.parent_id IS NOT NULL AND e.owner_id <>"
                + " (SELECT p.owner_id FROM entity p WHERE p.id = e.parent_id)"))
                .as("held rows carry their parent's owner").isEmpty();
        assertThat(rows("SELECT e.id FROM entity e LEFT JOIN entity n ON n.id = e.next_sibling"
                + " WHERE e.next_sibling IS NOT NULL AND (n.id IS NULL OR n.prev_sibling <> e.id OR n.parent_id <> e.parent_id)"))
                .as("next/prev sibling links are symmetric").isEmpty();
        assertThat(rows("SELECT e.id FROM entity e LEFT JOIN entity c ON c.id = e.first_child"
                + " WHERE e.first_child IS NOT NULL AND (c.id IS NULL OR c.parent_id <> e.id OR c.prev_sibling IS NOT NULL)"))
                .as("first_child points at a child with no previous sibling").isEmpty();
        assertThat(number("SELECT COUNT(*) FROM entity e WHERE e.parent_id IS NOT NULL AND e.prev_sibling IS NULL"
                + " AND NOT EXISTS (SELECT 1 FROM entity p WHERE p.id = e.parent_id AND p.first_child = e.id)"))
                .as("every child is reachable from its parent").isZero();
        assertThat(rows("SELECT e.id FROM entity e JOIN cell c ON c.id = e.cell_id WHERE c.first_child IS NOT NULL"
                + " OR e.x < c.min_x OR e.x >= c.max_x OR e.y < c.min_y OR e.y >= c.max_y"))
                .as("every placed entity is in exactly the leaf that holds its position").isEmpty();
        assertThat(number("WITH RECURSIVE reachable (id) AS (SELECT id FROM entity WHERE parent_id IS NULL"
                + " UNION ALL SELECT e.id FROM entity e JOIN reachable r ON e.parent_id = r.id)"
                + " SELECT COUNT(*) FROM entity WHERE id NOT IN (SELECT id FROM reachable)"))
                .as("every held row hangs below a root: no cycles, no orphans").isZero();
        assertThat(number("SELECT COUNT(*) FROM entity WHERE parent_id IS NULL AND cell_id IS NULL"))
                .as("every root is placed").isZero();
        assertThat(rows("SELECT p.id FROM cell p WHERE p.first_child IS NOT NULL AND (p.num_entities <> 0"
                + " OR ABS((p.max_x - p.min_x) * (p.max_y - p.min_y) - (SELECT SUM((c.max_x - c.min_x) * (c.max_y - c.min_y))"
                + " FROM cell c WHERE c.parent_id = p.id)) > 0.001"
                + " OR EXISTS (SELECT 1 FROM cell c WHERE c.parent_id = p.id AND (c.min_x < p.min_x OR c.max_x > p.max_x"
                + " OR c.min_y < p.min_y OR c.max_y > p.max_y)))"))
                .as("children tile their parent, and only leaves hold entities").isEmpty();
        assertThat(rows("SELECT c.id FROM cell c LEFT JOIN cell n ON n.id = c.next_sibling"
                + " WHERE c.next_sibling IS NOT NULL AND (n.id IS NULL OR n.parent_id <> c.parent_id)"))
                .as("cell siblings share their parent").isEmpty();
        assertThat(rows("SELECT c.id FROM cell c WHERE c.version <> (SELECT COUNT(*) FROM change_log l WHERE l.cell_id = c.id)"
                + " OR c.version <> (SELECT COALESCE(MAX(l.cell_version), 0) FROM change_log l WHERE l.cell_id = c.id)"))
                .as("the change log holds versions 1..version of every cell, no gap").isEmpty();
    }
}
