package io.gamestate.state;

import static io.gamestate.state.TestWorld.damage;
import static io.gamestate.state.TestWorld.heal;
import static io.gamestate.state.TestWorld.move;
import static io.gamestate.state.TestWorld.trade;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ApplyBatch: one transaction, one result per unit; a refused unit writes nothing, the rest apply. */
@QuarkusTest
class BatchTest extends WorldTest {

    @Test
    void refusedUnitsDoNotStopTheOthers() {
        long a = world.player(10, 10, 5);
        long b = world.player(20, 10, 5);
        long npc = world.npc(30, 10, 100);
        List<RmwResult> results = world.batch(List.of(
                damage(a, npc, 10),
                damage(a, npc, -1),
                trade(a, b, 50, 0, List.of(), List.of()),
                move(987654321L, 1, 1),
                damage(b, npc, 15),
                move(a, 300, 10),
                heal(npc, 5)));
        assertThat(results).extracting(RmwResult::getCode).containsExactly(
                Status.Code.OK.value(), Status.Code.INVALID_ARGUMENT.value(), Status.Code.FAILED_PRECONDITION.value(),
                Status.Code.NOT_FOUND.value(), Status.Code.OK.value(), Status.Code.OK.value(), Status.Code.OK.value());
        assertThat(results.get(2).getMessage()).contains("gold");
        assertThat(hp(npc)).isEqualTo(80);
        assertThat(world.number("SELECT SUM(gold) FROM entity")).isEqualTo(10);
        assertThat(world.number("SELECT COUNT(*) FROM rmw_request")).as("only applied units are recorded").isEqualTo(4 + 3);
    }

    @Test
    void unitsSeeTheEffectsOfEarlierUnitsOfTheSameBatch() {
        long p = world.player(10, 10, 0);
        List<RmwResult> results = world.batch(List.of(move(p, 100, 100), move(p, 300, 100), move(p, 310, 300)));
        assertThat(results).allMatch(r -> r.getCode() == 0);
        assertThat(results.get(2).getEntities(0).getVersion()).isEqualTo(4);
        assertThat(world.number("SELECT cell_id FROM entity WHERE id = ?", p)).isEqualTo(18);
        assertThat(world.number("SELECT version FROM cell WHERE id = 1")).as("spawn, move, move out").isEqualTo(3);
        assertThat(world.number("SELECT version FROM cell WHERE id = 2")).as("move in, move out").isEqualTo(2);
    }

    /** Rows of each kind past one statement's 64 and in odd counts: written in several statements, every row once. */
    @Test
    void manyRowsOfEachKindAreAllWritten() {
        List<RmwUnit> spawns = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            spawns.add(RmwUnit.newBuilder().setRequestId(TestWorld.newId()).setSpawn(Spawn.newBuilder()
                    .setKind(EntityKind.ENTITY_KIND_PLAYER).setPosition(TestWorld.pos(5 + 3 * i, 5 + 7 * (i % 60))).setGold(100)).build());
        }
        List<RmwResult> spawned = world.batch(spawns);
        assertThat(spawned).allMatch(r -> r.getCode() == 0);
        List<Long> players = spawned.stream().map(r -> r.getEntities(0).getId()).toList();

        List<RmwUnit> trades = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            trades.add(trade(players.get(i), players.get(i + 65), 1 + i, 0, List.of(), List.of()));
        }
        assertThat(world.batch(trades)).allMatch(r -> r.getCode() == 0);

        for (int i = 0; i < 65; i++) {
            assertThat(world.number("SELECT gold FROM entity WHERE id = ?", players.get(i))).isEqualTo(100 - 1 - i);
            assertThat(world.number("SELECT gold FROM entity WHERE id = ?", players.get(i + 65))).isEqualTo(100 + 1 + i);
        }
        assertThat(world.number("SELECT SUM(gold) FROM entity")).isEqualTo(130 * 100);
        assertThat(world.number("SELECT COUNT(*) FROM rmw_request")).isEqualTo(130 + 65);
        assertThat(world.number("SELECT SUM(num_entities) FROM cell WHERE first_child IS NULL")).isEqualTo(130);
    }

    int hp(long id) {
        return world.client().getEntity(GetEntityRequest.newBuilder().setEntityId(id).build()).await().atMost(TestWorld.WAIT).getHp();
    }
}
