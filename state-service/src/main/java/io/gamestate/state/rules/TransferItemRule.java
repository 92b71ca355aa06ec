package io.gamestate.state.rules;

import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.proto.state.v1.TransferItem;
import io.gamestate.state.model.EntityRecord;
import jakarta.inject.Singleton;
import java.util.List;

/** Re-parents a held entity, with its subtree, under a new holder (never into its own subtree). */
@Singleton
public class TransferItemRule extends RuleHandler<TransferItem> {

    public TransferItemRule() {
        super(RmwUnit.RuleCase.TRANSFER_ITEM, Rule.RULE_TRANSFER_ITEM, RmwUnit::getTransferItem);
    }

    @Override
    protected void validate(TransferItem t) {
        Checks.positive(t.getItemId(), "transfer_item.item_id");
        Checks.positive(t.getToParentId(), "transfer_item.to_parent_id");
        if (t.getItemId() == t.getToParentId()) {
            throw RuleViolation.invalid("transfer_item: an item cannot be its own parent");
        }
    }

    @Override
    protected AccessPlan.Builder plan(AccessPlan.Builder plan, TransferItem t) {
        return plan.named(t.getItemId(), t.getToParentId()).changesTree().subtreeRoots(List.of(t.getItemId()));
    }

    @Override
    protected void apply(WorkingSet ws, TransferItem t) {
        EntityRecord item = ws.require(t.getItemId(), "item");
        if (item.isRoot()) {
            throw RuleViolation.precondition(item.entityKind() + " " + item.id + " is placed in the world, not held");
        }
        EntityRecord to = ws.require(t.getToParentId(), "new parent");
        Checks.requireCanHold(to, item.entityKind());
        for (EntityRecord d : ws.descendants(item.id)) {
            if (d.id == to.id) {
                throw RuleViolation.precondition("entity " + to.id + " is inside " + item.id
                        + ": a node cannot move into its own subtree");
            }
        }
        Trees.reparent(ws, item.id, to.id);
    }
}
