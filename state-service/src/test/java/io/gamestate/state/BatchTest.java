package io.gamestate.state;

import static io.gamestate.state.TestWorld.damage;
import static io.gamestate.state.TestWorld.heal;
import static io.gamestate.state.TestWorld.move;
import static io.gamestate.state.TestWorld.trade;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.RmwResult;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
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

    int hp(long id) {
        return world.client().getEntity(GetEntityRequest.newBuilder().setEntityId(id).build()).await().atMost(TestWorld.WAIT).getHp();
    }
}
