package io.gamestate.state.rules;

import io.gamestate.proto.state.v1.Despawn;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.state.model.EntityRecord;
import jakarta.inject.Singleton;
import java.util.List;

/** Removes an entity with its whole subtree. */
@Singleton
public class DespawnRule extends RuleHandler<Despawn> {

    public DespawnRule() {
        super(RmwUnit.RuleCase.DESPAWN, Rule.RULE_DESPAWN, RmwUnit::getDespawn);
    }

    @Override
    protected void validate(Despawn d) {
        Checks.positive(d.getEntityId(), "despawn.entity_id");
    }

    @Override
    protected AccessPlan.Builder plan(AccessPlan.Builder plan, Despawn d) {
        return plan.named(d.getEntityId()).changesTree().subtreeRoots(List.of(d.getEntityId()));
    }

    @Override
    protected void apply(WorkingSet ws, Despawn d) {
        EntityRecord e = ws.require(d.getEntityId(), "entity");
        List<EntityRecord> subtree = ws.descendants(e.id);
        if (!e.isRoot()) {
            ws.unlink(e.id);
        }
        for (EntityRecord child : subtree) {
            ws.delete(child.id);
        }
        ws.delete(e.id);
    }
}
