package io.gamestate.state.rules;

import static io.gamestate.state.rules.RuleAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.Damage;
import io.gamestate.proto.state.v1.Heal;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Damage and heal: hp stays within [0, max hp] whatever the amount, and every change leaves a marker. */
class CombatRulesTest {

    final RuleFixture world = new RuleFixture();

    @Test
    void damageStopsAtZeroAndKills() {
        long p = world.player(10, 10, 0);
        long npc = world.npc(12, 10, 30);
        world.apply(u -> u.setDamage(Damage.newBuilder().setAttackerId(p).setTargetId(npc).setAmount(Integer.MAX_VALUE)));
        assertThat(world.row(npc).hp).isZero();
        assertThat(world.row(npc).isDead()).isTrue();
        assertThat(world.ws.effects()).extracting(WorkingSet.EffectRow::magnitude).containsExactly(30);
        refused(() -> world.apply(u -> u.setDamage(Damage.newBuilder().setAttackerId(p).setTargetId(npc).setAmount(1))),
                Status.Code.FAILED_PRECONDITION, "dead");
    }

    @Test
    void healStopsAtMaxHp() {
        long npc = world.npc(12, 10, 30);
        world.apply(u -> u.setDamage(Damage.newBuilder().setTargetId(npc).setAmount(10)));
        world.apply(u -> u.setHeal(Heal.newBuilder().setTargetId(npc).setAmount(Integer.MAX_VALUE)));
        assertThat(world.row(npc).hp).isEqualTo(30);
        refused(() -> world.apply(u -> u.setHeal(Heal.newBuilder().setTargetId(npc).setAmount(0))),
                Status.Code.INVALID_ARGUMENT, "heal.amount");
    }
}
