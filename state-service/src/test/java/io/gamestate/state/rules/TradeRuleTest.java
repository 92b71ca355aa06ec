package io.gamestate.state.rules;

import static io.gamestate.state.rules.RuleAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Trade;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class TradeRuleTest {

    final RuleFixture world = new RuleFixture();

    @Test
    void goldBothWaysAndItemsWithTheirSubtreesChangeHands() {
        long a = world.player(10, 10, 100);
        long b = world.player(12, 10, 50);
        long bag = world.held(EntityKind.ENTITY_KIND_CONTAINER, a, "", 0);
        long gem = world.held(EntityKind.ENTITY_KIND_ITEM, bag, "gem", 1);
        world.apply(u -> u.setTrade(Trade.newBuilder().setPlayerA(a).setPlayerB(b).setGoldAToB(30).setGoldBToA(10)
                .addItemsAToB(bag)));
        assertThat(world.row(a).gold).isEqualTo(80);
        assertThat(world.row(b).gold).isEqualTo(70);
        assertThat(world.row(bag).parentId).isEqualTo(b);
        assertThat(world.row(gem).ownerId).as("the subtree moves with its root").isEqualTo(b);
    }

    @Test
    void nothingMovesUnlessEverythingCan() {
        long a = world.player(10, 10, 100);
        long b = world.player(12, 10, 50);
        long gem = world.held(EntityKind.ENTITY_KIND_ITEM, b, "gem", 1);
        refused(() -> world.apply(u -> u.setTrade(Trade.newBuilder().setPlayerA(a).setPlayerB(b).setGoldAToB(10)
                .addItemsAToB(gem))), Status.Code.FAILED_PRECONDITION, "not held by player " + a);
        refused(() -> world.apply(u -> u.setTrade(Trade.newBuilder().setPlayerA(a).setPlayerB(b).setGoldBToA(51))),
                Status.Code.FAILED_PRECONDITION, "has 50 gold");
        assertThat(world.row(a).gold).isEqualTo(100);
        assertThat(world.row(b).gold).isEqualTo(50);
        assertThat(world.row(gem).ownerId).isEqualTo(b);
    }

    @Test
    void goldPastTheWorldLimitIsRefusedNotWrapped() {
        long max = world.config.limits().maxGold();
        long rich = world.player(10, 10, max);
        long poor = world.player(12, 10, 5);
        refused(() -> world.apply(u -> u.setTrade(Trade.newBuilder().setPlayerA(poor).setPlayerB(rich).setGoldAToB(1))),
                Status.Code.FAILED_PRECONDITION, "world limit");
        refused(() -> world.apply(u -> u.setTrade(Trade.newBuilder().setPlayerA(poor).setPlayerB(rich)
                .setGoldAToB(Long.MAX_VALUE))), Status.Code.INVALID_ARGUMENT, "world limit");
        assertThat(world.row(rich).gold).isEqualTo(max);
    }
}
