package io.gamestate.state.rules;

import io.gamestate.proto.state.v1.Heal;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.model.EntityRecord;
import jakarta.inject.Singleton;

/** Raises a living creature's hp (to its max hp at most) and leaves a heal marker. */
@Singleton
public class HealRule extends RuleHandler<Heal> {

    private final long effectTtlMs;

    public HealRule(StateConfig config) {
        super(RmwUnit.RuleCase.HEAL, Rule.RULE_HEAL, RmwUnit::getHeal);
        this.effectTtlMs = config.rmw().effectTtl().toMillis();
    }

    @Override
    protected void validate(Heal h) {
        Checks.notNegative(h.getHealerId(), "heal.healer_id");
        Checks.positive(h.getTargetId(), "heal.target_id");
        Checks.positive(h.getAmount(), "heal.amount");
    }

    @Override
    protected AccessPlan.Builder plan(AccessPlan.Builder plan, Heal h) {
        return plan.named(h.getHealerId(), h.getTargetId()).newIds(1);
    }

    @Override
    protected void apply(WorkingSet ws, Heal h) {
        if (h.getHealerId() != 0) {
            Checks.requireLivingCreature(ws, h.getHealerId(), "healer");
        }
        EntityRecord target = ws.modify(Checks.requireLivingCreature(ws, h.getTargetId(), "target").id);
        int healed = Math.min(target.maxHp - target.hp, h.getAmount());
        target.hp += healed;
        ws.addEffect(target.cellId, target.id, "heal", healed, ws.now() + effectTtlMs);
    }
}
