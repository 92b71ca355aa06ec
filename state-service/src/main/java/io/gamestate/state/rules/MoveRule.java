package io.gamestate.state.rules;

import io.gamestate.common.world.WorldGeometry;
import io.gamestate.proto.state.v1.Move;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.state.model.EntityRecord;
import jakarta.inject.Singleton;

/** A living creature to a new point, possibly in another cell. */
@Singleton
public class MoveRule extends RuleHandler<Move> {

    private final WorldGeometry geometry;

    public MoveRule(WorldGeometry geometry) {
        super(RmwUnit.RuleCase.MOVE, Rule.RULE_MOVE, RmwUnit::getMove);
        this.geometry = geometry;
    }

    @Override
    protected void validate(Move m) {
        Checks.positive(m.getEntityId(), "move.entity_id");
        if (!m.hasTo()) {
            throw RuleViolation.invalid("move.to is required");
        }
        Checks.inWorld(geometry, m.getTo(), "move.to");
    }

    @Override
    protected AccessPlan.Builder plan(AccessPlan.Builder plan, Move m) {
        return plan.named(m.getEntityId()).target(m.getTo());
    }

    @Override
    protected void apply(WorkingSet ws, Move m) {
        EntityRecord e = Checks.requireLivingCreature(ws, m.getEntityId(), "entity");
        Trees.place(ws, geometry, ws.modify(e.id), m.getTo().getX(), m.getTo().getY());
    }
}
