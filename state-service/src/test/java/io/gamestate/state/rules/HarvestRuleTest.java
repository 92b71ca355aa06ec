package io.gamestate.state.rules;

import static io.gamestate.state.rules.RuleAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Harvest;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class HarvestRuleTest {

    final RuleFixture world = new RuleFixture();

    @Test
    void theNodeLosesWhatTheStackGainsAtMostWhatItHas() {
        long p = world.player(10, 10, 0);
        long node = world.node(12, 10, "ore", 5);
        assertThat(world.apply(u -> u.setHarvest(Harvest.newBuilder().setPlayerId(p).setNodeId(node).setAmount(3))).harvested())
                .isEqualTo(3);
        assertThat(world.apply(u -> u.setHarvest(Harvest.newBuilder().setPlayerId(p).setNodeId(node).setAmount(3))).harvested())
                .isEqualTo(2);
        long stack = world.row(p).firstChild;
        assertThat(world.row(stack).amount).isEqualTo(5);
        assertThat(world.row(stack).nextSibling).as("one stack per type").isNull();
        assertThat(world.row(node).amount).isZero();
        refused(() -> world.apply(u -> u.setHarvest(Harvest.newBuilder().setPlayerId(p).setNodeId(node).setAmount(1))),
                Status.Code.FAILED_PRECONDITION, "exhausted");
    }

    @Test
    void onlyIntoAContainerOfTheHarvester() {
        long p = world.player(10, 10, 0);
        long other = world.player(11, 10, 0);
        long theirs = world.held(EntityKind.ENTITY_KIND_CONTAINER, other, "", 0);
        long node = world.node(12, 10, "ore", 5);
        refused(() -> world.apply(u -> u.setHarvest(Harvest.newBuilder().setPlayerId(p).setNodeId(node).setAmount(1)
                .setContainerId(theirs))), Status.Code.FAILED_PRECONDITION, "not a container of player");
    }

    @Test
    void aFullStackIsRefusedNotWrapped() {
        long p = world.player(10, 10, 0);
        long max = world.config.limits().maxAmount();
        world.held(EntityKind.ENTITY_KIND_ITEM, p, "ore", max);
        long node = world.node(12, 10, "ore", 5);
        refused(() -> world.apply(u -> u.setHarvest(Harvest.newBuilder().setPlayerId(p).setNodeId(node).setAmount(1))),
                Status.Code.FAILED_PRECONDITION, "world limit");
        assertThat(world.row(node).amount).isEqualTo(5);
    }
}
