package io.gamestate.state.rules;

import io.gamestate.common.proto.Attributes;
import io.gamestate.proto.state.v1.Damage;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Harvest;
import io.gamestate.proto.state.v1.Heal;
import io.gamestate.proto.state.v1.Move;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.Trade;
import io.gamestate.proto.state.v1.TransferItem;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.model.EntityRecord;
import io.gamestate.state.model.Kinds;
import io.gamestate.common.world.WorldGeometry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The game rules, applied to the rows of a {@link WorkingSet}. A rule may throw a
 * {@link RuleViolation} at any point: the working set undoes the unit. Rules change entity rows
 * only; counters, aggregates, versions and the change log follow from those changes.
 */
@ApplicationScoped
public class GameRules {

    static final int DEFAULT_CREATURE_HP = 100;

    private final WorldGeometry geometry;
    private final long effectTtlMs;
    private final StateConfig.Limits limits;

    public GameRules(WorldGeometry geometry, StateConfig config) {
        this.geometry = geometry;
        this.effectTtlMs = config.rmw().effectTtl().toMillis();
        this.limits = config.limits();
    }

    public void apply(WorkingSet ws, RmwUnit unit) {
        switch (unit.getRuleCase()) {
            case SPAWN -> spawn(ws, unit.getSpawn());
            case DESPAWN -> despawn(ws, unit.getDespawn().getEntityId());
            case MOVE -> move(ws, unit.getMove());
            case DAMAGE -> damage(ws, unit.getDamage());
            case HEAL -> heal(ws, unit.getHeal());
            case HARVEST -> harvest(ws, unit.getHarvest());
            case TRADE -> trade(ws, unit.getTrade());
            case TRANSFER_ITEM -> transfer(ws, unit.getTransferItem());
            case RULE_NOT_SET -> throw RuleViolation.invalid("unit has no rule");
        }
    }

    private void spawn(WorkingSet ws, Spawn s) {
        EntityRecord e = new EntityRecord();
        e.kind = (short) s.getKindValue();
        e.hp = s.getHp() > 0 || !Kinds.isCreature(s.getKind()) ? s.getHp() : DEFAULT_CREATURE_HP;
        e.maxHp = e.hp;
        e.gold = s.getGold();
        e.amount = s.getAmount();
        e.itemType = s.getItemType().isEmpty() ? null : s.getItemType();
        e.attributes = Attributes.toJson(s.getAttributesMap());
        if (Kinds.isPlaced(s.getKind())) {
            ws.create(e);
            e.ownerId = e.id;
            place(ws, e, s.getPosition().getX(), s.getPosition().getY());
            return;
        }
        EntityRecord parent = ws.require(s.getParentId(), "parent");
        requireCanHold(parent, s.getKind());
        ws.create(e);
        e.ownerId = parent.ownerId;
        ws.link(e.id, parent.id);
    }

    private void despawn(WorkingSet ws, long id) {
        EntityRecord e = ws.require(id, "entity");
        List<EntityRecord> subtree = ws.descendants(id);
        if (!e.isRoot()) {
            ws.unlink(id);
        }
        for (EntityRecord d : subtree) {
            ws.delete(d.id);
        }
        ws.delete(id);
    }

    private void move(WorkingSet ws, Move m) {
        EntityRecord e = requireLivingCreature(ws, m.getEntityId(), "entity");
        place(ws, ws.modify(e.id), m.getTo().getX(), m.getTo().getY());
    }

    private void damage(WorkingSet ws, Damage d) {
        if (d.getAttackerId() != 0) {
            requireLivingCreature(ws, d.getAttackerId(), "attacker");
        }
        EntityRecord target = ws.modify(requireLivingCreature(ws, d.getTargetId(), "target").id);
        int dealt = Math.min(target.hp, d.getAmount());
        target.hp -= dealt;
        if (target.hp == 0) {
            target.dead = 1;
        }
        ws.addEffect(target.cellId, target.id, "hit", dealt, ws.now() + effectTtlMs);
    }

    private void heal(WorkingSet ws, Heal h) {
        if (h.getHealerId() != 0) {
            requireLivingCreature(ws, h.getHealerId(), "healer");
        }
        EntityRecord target = ws.modify(requireLivingCreature(ws, h.getTargetId(), "target").id);
        int healed = Math.min(target.maxHp - target.hp, h.getAmount());
        target.hp += healed;
        ws.addEffect(target.cellId, target.id, "heal", healed, ws.now() + effectTtlMs);
    }

    private void harvest(WorkingSet ws, Harvest h) {
        EntityRecord player = requireLivingCreature(ws, h.getPlayerId(), "player");
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
        long stacked = stack == null ? taken : withinLimit(stack.amount, taken, limits.maxAmount(),
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

    private void trade(WorkingSet ws, Trade t) {
        EntityRecord a = requireTrader(ws, t.getPlayerA());
        EntityRecord b = requireTrader(ws, t.getPlayerB());
        if (a.gold < t.getGoldAToB()) {
            throw RuleViolation.precondition("player " + a.id + " has " + a.gold + " gold, trade needs " + t.getGoldAToB());
        }
        if (b.gold < t.getGoldBToA()) {
            throw RuleViolation.precondition("player " + b.id + " has " + b.gold + " gold, trade needs " + t.getGoldBToA());
        }
        for (long itemId : t.getItemsAToBList()) {
            requireHeldBy(ws, itemId, a);
        }
        for (long itemId : t.getItemsBToAList()) {
            requireHeldBy(ws, itemId, b);
        }
        long net = t.getGoldAToB() - t.getGoldBToA();
        long goldA = withinLimit(a.gold, -net, limits.maxGold(), "the gold of player " + a.id);
        long goldB = withinLimit(b.gold, net, limits.maxGold(), "the gold of player " + b.id);
        ws.modify(a.id).gold = goldA;
        ws.modify(b.id).gold = goldB;
        for (long itemId : t.getItemsAToBList()) {
            reparent(ws, itemId, b.id);
        }
        for (long itemId : t.getItemsBToAList()) {
            reparent(ws, itemId, a.id);
        }
    }

    private void transfer(WorkingSet ws, TransferItem t) {
        EntityRecord item = ws.require(t.getItemId(), "item");
        if (item.isRoot()) {
            throw RuleViolation.precondition(item.entityKind() + " " + item.id + " is placed in the world, not held");
        }
        EntityRecord to = ws.require(t.getToParentId(), "new parent");
        requireCanHold(to, item.entityKind());
        for (EntityRecord d : ws.descendants(item.id)) {
            if (d.id == to.id) {
                throw RuleViolation.precondition("entity " + to.id + " is inside " + item.id + ": a node cannot move into its own subtree");
            }
        }
        reparent(ws, item.id, to.id);
    }

    /** Unlink plus link; a move to another owner re-owns the whole subtree. */
    private static void reparent(WorkingSet ws, long nodeId, long newParentId) {
        long newOwner = ws.find(newParentId).ownerId;
        List<EntityRecord> subtree = ws.descendants(nodeId);
        ws.unlink(nodeId);
        ws.link(nodeId, newParentId);
        if (ws.find(nodeId).ownerId != newOwner) {
            ws.modify(nodeId).ownerId = newOwner;
            for (EntityRecord d : subtree) {
                ws.modify(d.id).ownerId = newOwner;
            }
        }
    }

    private void place(WorkingSet ws, EntityRecord e, double x, double y) {
        e.x = x;
        e.y = y;
        e.cellId = ws.leafAt(x, y).id;
        e.morton = geometry.morton(x, y);
    }

    /** value + delta, refused when it would pass the world limit (or overflow on rows written before the limit). */
    private static long withinLimit(long value, long delta, long limit, String what) {
        long sum;
        try {
            sum = Math.addExact(value, delta);
        } catch (ArithmeticException overflow) {
            sum = Long.MAX_VALUE;
        }
        if (sum > limit) {
            throw RuleViolation.precondition(what + " would reach " + (sum == Long.MAX_VALUE ? "beyond " + Long.MAX_VALUE : sum)
                    + ", above the world limit of " + limit);
        }
        return sum;
    }

    private static EntityRecord requireLivingCreature(WorkingSet ws, long id, String role) {
        EntityRecord e = ws.require(id, role);
        if (!Kinds.isCreature(e.entityKind())) {
            throw RuleViolation.precondition(role + " " + id + " is " + e.entityKind() + ": only players and npcs can do this");
        }
        if (e.isDead()) {
            throw RuleViolation.precondition(role + " " + id + " is dead");
        }
        return e;
    }

    private static EntityRecord requireTrader(WorkingSet ws, long id) {
        EntityRecord e = requireLivingCreature(ws, id, "player");
        if (e.entityKind() != EntityKind.ENTITY_KIND_PLAYER) {
            throw RuleViolation.precondition("entity " + id + " is " + e.entityKind() + ": only players trade");
        }
        return e;
    }

    private static void requireHeldBy(WorkingSet ws, long itemId, EntityRecord player) {
        EntityRecord item = ws.require(itemId, "item");
        if (item.isRoot() || item.ownerId != player.id) {
            throw RuleViolation.precondition("item " + itemId + " is not held by player " + player.id);
        }
    }

    private static void requireCanHold(EntityRecord holder, EntityKind kind) {
        if (!Kinds.canHold(holder.entityKind(), kind)) {
            throw RuleViolation.precondition(holder.entityKind() + " " + holder.id + " cannot hold " + kind);
        }
    }
}
