package io.gamestate.state;

import static io.gamestate.state.TestWorld.damage;
import static io.gamestate.state.TestWorld.harvest;
import static io.gamestate.state.TestWorld.heal;
import static io.gamestate.state.TestWorld.move;
import static io.gamestate.state.TestWorld.newId;
import static io.gamestate.state.TestWorld.trade;
import static io.gamestate.state.TestWorld.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.store.StoreFamily;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A unit's answer depends on that unit alone: one that fails its transaction (here the store
 * itself refuses its row, through a trigger) fails alone, in an ApplyBatch and in a group commit;
 * and a tree changed by another transaction while a unit waited for its root lock is read again
 * under the lock instead of failing the unit.
 */
@QuarkusTest
class GroupIsolationTest extends WorldTest {

    static final String CURSED = "cursed";

    @AfterEach
    void dropTrigger() {
        ddl(world.family() == StoreFamily.POSTGRESQL
                ? "DROP TRIGGER IF EXISTS refuse_cursed ON entity" : "DROP TRIGGER IF EXISTS refuse_cursed");
    }

    @Test
    void aUnitTheStoreRefusesFailsAloneInItsBatch() {
        long p = world.player(10, 10, 100);
        long q = world.player(12, 10, 100);
        long npc = world.npc(14, 10, 100);
        long node = world.node(16, 10, "ore", 10);
        RmwUnit committedBefore = damage(p, npc, 5);
        RmwResult firstAnswer = world.apply(committedBefore);
        refuseCursedItems();

        List<RmwResult> results = world.batch(List.of(heal(npc, 1), harvest(p, node, 3, 0), cursedItem(p), move(p, 11, 11),
                committedBefore, trade(p, q, 40, 0, List.of(), List.of())));

        assertThat(results).extracting(RmwResult::getCode).containsExactly(0, 0, Status.Code.INTERNAL.value(), 0, 0, 0);
        assertThat(results.get(2).getMessage()).contains("cursed");
        assertThat(results.get(4).getReplayed()).as("a re-sent id answers its stored result").isTrue();
        assertThat(results.get(4).toBuilder().setReplayed(false).build()).isEqualTo(firstAnswer);
        assertThat(world.number("SELECT hp FROM entity WHERE id = ?", npc)).isEqualTo(96);
        assertThat(world.number("SELECT amount FROM entity WHERE id = ?", node)).isEqualTo(7);
        assertThat(world.number("SELECT gold FROM entity WHERE id = ?", q)).isEqualTo(140);
        assertThat(world.number("SELECT COUNT(*) FROM entity WHERE item_type = ?", CURSED)).isZero();
    }

    @Test
    void aUnitTheStoreRefusesFailsAloneInItsGroupCommit() {
        List<Long> npcs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            npcs.add(world.npc(20 + i, 20, 100));
        }
        long p = world.player(10, 10, 0);
        refuseCursedItems();
        List<RmwUnit> units = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            units.add(i == 17 ? cursedItem(p) : damage(0, npcs.get(i % npcs.size()), 1));
        }
        List<Uni<Status.Code>> calls = units.stream().map(u -> world.client().applyRmw(u)
                .map(r -> Status.Code.OK)
                .onFailure(StatusRuntimeException.class).recoverWithItem(e -> ((StatusRuntimeException) e).getStatus().getCode()))
                .toList();
        List<Status.Code> codes = Uni.join().all(calls).andFailFast().await().atMost(TestWorld.WAIT);

        for (int i = 0; i < codes.size(); i++) {
            assertThat(codes.get(i)).as("unit " + i).isEqualTo(i == 17 ? Status.Code.INTERNAL : Status.Code.OK);
        }
        assertThat(world.number("SELECT SUM(hp) FROM entity WHERE kind = 2")).isEqualTo(8 * 100 - 39);
    }

    /**
     * The unit reads bag x with no children, then waits for its owner's lock; meanwhile another
     * transaction moves bag y with its items into x. Under the lock, x's subtree is read again, so
     * the whole subtree moves (before: "subtree row N of N was not loaded", INTERNAL).
     */
    @Test
    void aSubtreeThatGrewWhileTheUnitWaitedForItsRootMovesWhole() {
        long p = world.player(10, 10, 0);
        long x = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
        long y = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
        long i1 = world.held(EntityKind.ENTITY_KIND_ITEM, y, "gem", 1);
        long i2 = world.held(EntityKind.ENTITY_KIND_ITEM, y, "gem", 1);
        long z = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
        // p's children are z, y, x in that order; y holds i2, i1.
        RmwUnit moveX = transfer(x, z);
        Uni<RmwResult> answer = world.pool().withTransaction(tx -> tx.preparedQuery(world.sql(
                        "SELECT id FROM entity WHERE id = ? FOR UPDATE")).execute(Tuple.of(p))
                .chain(locked -> {
                    Uni<RmwResult> waiting = world.client().applyRmw(moveX).memoize().indefinitely();
                    waiting.subscribe().with(r -> { }, e -> { });
                    return Uni.createFrom().item(waiting).onItem().delayIt().by(Duration.ofMillis(700));
                })
                .call(waiting -> tx.preparedQuery(world.sql("UPDATE entity SET next_sibling = ? WHERE id = ?"))
                        .execute(Tuple.of(x, z)))
                .call(waiting -> tx.preparedQuery(world.sql(
                        "UPDATE entity SET prev_sibling = ?, first_child = ? WHERE id = ?")).execute(Tuple.of(z, y, x)))
                .call(waiting -> tx.preparedQuery(world.sql(
                        "UPDATE entity SET parent_id = ?, prev_sibling = NULL, next_sibling = NULL WHERE id = ?"))
                        .execute(Tuple.of(x, y))))
                .chain(waiting -> waiting);

        RmwResult moved = answer.await().atMost(TestWorld.WAIT);

        assertThat(moved.getCode()).isZero();
        assertThat(world.number("SELECT parent_id FROM entity WHERE id = ?", x)).isEqualTo(z);
        assertThat(world.number("SELECT parent_id FROM entity WHERE id = ?", y)).isEqualTo(x);
        assertThat(world.number("SELECT COUNT(*) FROM entity WHERE parent_id = ?", y)).isEqualTo(2);
        assertThat(List.of(i1, i2)).allMatch(i -> world.number("SELECT owner_id FROM entity WHERE id = ?", i) == p);
    }

    private void refuseCursedItems() {
        if (world.family() == StoreFamily.POSTGRESQL) {
            ddl("CREATE OR REPLACE FUNCTION refuse_cursed() RETURNS trigger AS $$ BEGIN"
                    + " IF NEW.item_type = '" + CURSED + "' THEN RAISE EXCEPTION 'cursed items are refused by a test trigger';"
                    + " END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
            ddl("CREATE TRIGGER refuse_cursed BEFORE INSERT ON entity FOR EACH ROW EXECUTE FUNCTION refuse_cursed()");
        } else {
            ddl("CREATE TRIGGER refuse_cursed BEFORE INSERT ON entity FOR EACH ROW BEGIN"
                    + " IF NEW.item_type = '" + CURSED + "' THEN"
                    + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'cursed items are refused by a test trigger';"
                    + " END IF; END");
        }
    }

    /** DDL over the simple protocol: MySQL cannot prepare CREATE TRIGGER. */
    private void ddl(String sql) {
        world.pool().query(sql).execute().await().atMost(TestWorld.WAIT);
    }

    private static RmwUnit cursedItem(long holder) {
        return RmwUnit.newBuilder().setRequestId(newId()).setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_ITEM)
                .setParentId(holder).setItemType(CURSED).setAmount(1)).build();
    }
}
