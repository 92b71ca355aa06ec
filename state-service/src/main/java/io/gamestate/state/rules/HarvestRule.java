package io.gamestate.state.rules;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Harvest;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.model.EntityRecord;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Moves up to an amount from a resource node onto the player's stack of its item type, at the
 * player's top level or in a container of the player's; a new stack when there is none.
 */
@Singleton
public class HarvestRule extends RuleHandler<Harvest> {

    private final StateConfig.Limits limits;

    public HarvestRule(StateConfig config) {
        super(RmwUnit.RuleCase.HARVEST, Rule.RULE_HARVEST, RmwUnit::getHarvest);
        this.limits = config.limits();
    }

    @Override
    protected void validate(Harvest h) {
        Checks.positive(h.getPlayerId(), "harvest.player_id");
        Checks.positive(h.getNodeId(), "harvest.node_id");
        Checks.positive(h.getAmount(), "harvest.amount");
        Checks.notNegative(h.getContainerId(), "harvest.container_id");
    }

    @Override
    protected AccessPlan.Builder plan(AccessPlan.Builder plan, Harvest h) {
        long holder = h.getContainerId() != 0 ? h.getContainerId() : h.getPlayerId();
        return plan.named(h.getPlayerId(), h.getNodeId(), h.getContainerId())
                .heldByNamedPlayers(h.getContainerId() != 0 ? List.of(h.getContainerId()) : List.of())
                .newIds(1).changesTree().fillsStack(holder, h.getNodeId());
    }

    @Override
    protected void apply(WorkingSet ws, Harvest h) {
        EntityRecord player = Checks.requireLivingCreature(ws, h.getPlayerId(), "player");
        EntityRecord node = ws.require(h.getNodeId(), "resource node");
        if (node.entityKind() != EntityKind.ENTITY_KIND_RESOURCE_NODE) {
            throw RuleViolation.precondition("entity " + node.id + " is " + node.entityKind() + ", not a resource node");
        }
        if (node.amount <= 0) {
            throw RuleViolation.precondition("resource node " + node.id + " is exhausted");
        }
        long holderId = player.id;
        if (h.getContainerId() != 0) {
            EntityRecord container = ws.require(h.getContainerId(), "container");
            if (container.entityKind() != EntityKind.ENTITY_KIND_CONTAINER || container.ownerId != player.id) {
                throw RuleViolation.precondition("entity " + container.id + " is not a container of player " + player.id);
            }
            holderId = container.id;
        }
        long taken = Math.min(node.amount, h.getAmount());
        EntityRecord stack = ws.childStack(holderId, node.itemType);
        long stacked = stack == null ? taken : Checks.withinLimit(stack.amount, taken, limits.maxAmount(),
                "the stack of " + node.itemType + " of holder " + holderId);
        ws.modify(node.id).amount -= taken;
        if (stack != null) {
            ws.modify(stack.id).amount = stacked;
        } else {
            EntityRecord item = new EntityRecord();
            item.kind = (short) EntityKind.ENTITY_KIND_ITEM_VALUE;
            item.ownerId = player.id;
            item.amount = taken;
            item.itemType = node.itemType;
            ws.create(item);
            ws.link(item.id, holderId);
        }
        ws.setHarvested(taken);
    }
}
