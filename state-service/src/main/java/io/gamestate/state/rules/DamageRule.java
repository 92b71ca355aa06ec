package io.gamestate.state.rules;

import io.gamestate.proto.state.v1.Damage;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.model.EntityRecord;
import jakarta.inject.Singleton;

/** Lowers a living creature's hp (to 0 at most: then it is dead) and leaves a hit marker. */
@Singleton
public class DamageRule extends RuleHandler<Damage> {

    private final long effectTtlMs;

    public DamageRule(StateConfig config) {
        super(RmwUnit.RuleCase.DAMAGE, Rule.RULE_DAMAGE, RmwUnit::getDamage);
        this.effectTtlMs = config.rmw().effectTtl().toMillis();
    }

    @Override
    protected void validate(Damage d) {
        Checks.notNegative(d.getAttackerId(), "damage.attacker_id");
        Checks.positive(d.getTargetId(), "damage.target_id");
        Checks.positive(d.getAmount(), "damage.amount");
    }

    @Override
    protected AccessPlan.Builder plan(AccessPlan.Builder plan, Damage d) {
        return plan.named(d.getAttackerId(), d.getTargetId()).newIds(1);
    }

    @Override
    protected void apply(WorkingSet ws, Damage d) {
        if (d.getAttackerId() != 0) {
            Checks.requireLivingCreature(ws, d.getAttackerId(), "attacker");
        }
        EntityRecord target = ws.modify(Checks.requireLivingCreature(ws, d.getTargetId(), "target").id);
        int dealt = Math.min(target.hp, d.getAmount());
        target.hp -= dealt;
        if (target.hp == 0) {
            target.dead = 1;
        }
        ws.addEffect(target.cellId, target.id, "hit", dealt, ws.now() + effectTtlMs);
    }
}
