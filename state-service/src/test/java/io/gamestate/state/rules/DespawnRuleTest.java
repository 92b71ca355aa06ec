package io.gamestate.state.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.Despawn;
import io.gamestate.proto.state.v1.EntityKind;
import org.junit.jupiter.api.Test;

class DespawnRuleTest {

    final RuleFixture world = new RuleFixture();

    @Test
    void aHeldNodeGoesWithItsSubtreeAndItsSiblingsCloseTheGap() {
        long p = world.player(10, 10, 0);
        long first = world.held(EntityKind.ENTITY_KIND_ITEM, p, "rope", 1);
        long bag = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
        long gem = world.held(EntityKind.ENTITY_KIND_ITEM, bag, "gem", 1);
        long last = world.held(EntityKind.ENTITY_KIND_ITEM, p, "torch", 1);
        var outcome = world.apply(u -> u.setDespawn(Despawn.newBuilder().setEntityId(bag)));
        assertThat(outcome.removed()).containsExactlyInAnyOrder(bag, gem);
        assertThat(world.row(bag)).isNull();
        assertThat(world.row(last).nextSibling).isEqualTo(first);
        assertThat(world.row(first).prevSibling).isEqualTo(last);
    }
}
