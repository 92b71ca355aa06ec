package io.gamestate.state.rules;

import static io.gamestate.state.rules.RuleAssertions.refused;
import static io.gamestate.state.rules.RuleFixture.pos;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Move;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class MoveRuleTest {

    final RuleFixture world = new RuleFixture();

    @Test
    void aCreatureMovesWithItsMortonKey() {
        long p = world.player(10, 10, 0);
        world.apply(u -> u.setMove(Move.newBuilder().setEntityId(p).setTo(pos(40, 50))));
        assertThat(world.row(p).x).isEqualTo(40);
        assertThat(world.row(p).morton).isEqualTo(world.geometry.morton(40, 50));
    }

    @Test
    void onlyLivingCreaturesMoveAndOnlyInsideTheWorld() {
        long p = world.player(10, 10, 0);
        long node = world.node(12, 12, "ore", 5);
        long gem = world.held(EntityKind.ENTITY_KIND_ITEM, p, "gem", 1);
        refused(() -> world.apply(u -> u.setMove(Move.newBuilder().setEntityId(node).setTo(pos(1, 1)))),
                Status.Code.FAILED_PRECONDITION, "only players and npcs");
        refused(() -> world.apply(u -> u.setMove(Move.newBuilder().setEntityId(gem).setTo(pos(1, 1)))),
                Status.Code.FAILED_PRECONDITION, "only players and npcs");
        refused(() -> world.apply(u -> u.setMove(Move.newBuilder().setEntityId(p).setTo(pos(-1, 1)))),
                Status.Code.INVALID_ARGUMENT, "outside the world");
        refused(() -> world.apply(u -> u.setMove(Move.newBuilder().setEntityId(p))), Status.Code.INVALID_ARGUMENT, "required");
    }
}
