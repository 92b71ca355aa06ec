package io.gamestate.state.rules;

import static io.gamestate.state.rules.RuleAssertions.refused;
import static io.gamestate.state.rules.RuleFixture.pos;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Spawn;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class SpawnRuleTest {

    final RuleFixture world = new RuleFixture();

    @Test
    void aRootIsPlacedInItsCellAndACreatureGetsDefaultHp() {
        long p = world.player(10, 20, 5);
        assertThat(world.row(p).ownerId).isEqualTo(p);
        assertThat(world.row(p).cellId).isEqualTo(RuleFixture.CELL);
        assertThat(world.row(p).hp).isEqualTo(SpawnRule.DEFAULT_CREATURE_HP);
        assertThat(world.row(p).morton).isEqualTo(world.geometry.morton(10, 20));
    }

    @Test
    void aHeldEntityIsLinkedFirstUnderItsParentAndOwnedByItsRoot() {
        long p = world.player(10, 20, 0);
        long bag = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
        long gem = world.held(EntityKind.ENTITY_KIND_ITEM, bag, "gem", 1);
        assertThat(world.row(bag).firstChild).isEqualTo(gem);
        assertThat(world.row(gem).ownerId).isEqualTo(p);
        refused(() -> world.held(EntityKind.ENTITY_KIND_MEMBER, bag, "", 0), Status.Code.FAILED_PRECONDITION, "cannot hold");
    }

    @Test
    void shapeAndLimitsAreCheckedBeforeAnyRow() {
        refused(() -> world.spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER)), Status.Code.INVALID_ARGUMENT,
                "needs a position");
        refused(() -> world.spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER).setPosition(pos(1, 1))
                .setGold(world.config.limits().maxGold() + 1)), Status.Code.INVALID_ARGUMENT, "world limit");
        refused(() -> world.spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_ITEM).setParentId(1).setItemType("a\0b")),
                Status.Code.INVALID_ARGUMENT, "NUL");
        refused(() -> world.spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_RESOURCE_NODE).setPosition(pos(1, 1))),
                Status.Code.INVALID_ARGUMENT, "item_type");
    }
}
