package io.gamestate.state.rules;

import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * What a unit will touch, known before any row is read: the entity ids it names (whose
 * hierarchy roots get locked), the world points it moves or spawns to (whose leaf cells get
 * locked), and how many fresh ids it may need.
 */
public final class AccessPlan {

    private AccessPlan() {
    }

    public static Rule rule(RmwUnit unit) {
        return switch (unit.getRuleCase()) {
            case SPAWN -> Rule.RULE_SPAWN;
            case DESPAWN -> Rule.RULE_DESPAWN;
            case MOVE -> Rule.RULE_MOVE;
            case DAMAGE -> Rule.RULE_DAMAGE;
            case HEAL -> Rule.RULE_HEAL;
            case HARVEST -> Rule.RULE_HARVEST;
            case TRADE -> Rule.RULE_TRADE;
            case TRANSFER_ITEM -> Rule.RULE_TRANSFER_ITEM;
            case RULE_NOT_SET -> Rule.RULE_UNSPECIFIED;
        };
    }

    /** Entity ids the unit names (0 means "none" in the contract and is left out). */
    public static List<Long> entityIds(RmwUnit unit) {
        List<Long> ids = new ArrayList<>();
        switch (unit.getRuleCase()) {
            case SPAWN -> ids.add(unit.getSpawn().getParentId());
            case DESPAWN -> ids.add(unit.getDespawn().getEntityId());
            case MOVE -> ids.add(unit.getMove().getEntityId());
            case DAMAGE -> {
                ids.add(unit.getDamage().getAttackerId());
                ids.add(unit.getDamage().getTargetId());
            }
            case HEAL -> {
                ids.add(unit.getHeal().getHealerId());
                ids.add(unit.getHeal().getTargetId());
            }
            case HARVEST -> {
                ids.add(unit.getHarvest().getPlayerId());
                ids.add(unit.getHarvest().getNodeId());
                ids.add(unit.getHarvest().getContainerId());
            }
            case TRADE -> {
                ids.add(unit.getTrade().getPlayerA());
                ids.add(unit.getTrade().getPlayerB());
                ids.addAll(unit.getTrade().getItemsAToBList());
                ids.addAll(unit.getTrade().getItemsBToAList());
            }
            case TRANSFER_ITEM -> {
                ids.add(unit.getTransferItem().getItemId());
                ids.add(unit.getTransferItem().getToParentId());
            }
            case RULE_NOT_SET -> {
            }
        }
        ids.removeIf(id -> id == 0);
        return ids;
    }

    /** Points the unit places an entity at. */
    public static List<Position> targets(RmwUnit unit) {
        if (unit.hasMove()) {
            return List.of(unit.getMove().getTo());
        }
        if (unit.hasSpawn() && unit.getSpawn().hasPosition()) {
            return List.of(unit.getSpawn().getPosition());
        }
        return List.of();
    }

    /** Upper bound of fresh ids the unit takes (new entity, new stack, new effect). */
    public static int newIds(RmwUnit unit) {
        return switch (unit.getRuleCase()) {
            case SPAWN, HARVEST, DAMAGE, HEAL -> 1;
            default -> 0;
        };
    }

    /** Rules that change LCRS links and so need the neighbours of the nodes they name. */
    public static boolean changesTree(RmwUnit unit) {
        return switch (unit.getRuleCase()) {
            case SPAWN -> unit.getSpawn().getParentId() != 0;
            case DESPAWN, HARVEST, TRADE, TRANSFER_ITEM -> true;
            default -> false;
        };
    }

    /** Nodes whose whole subtree the unit may move or delete. */
    public static List<Long> subtreeRoots(RmwUnit unit) {
        return switch (unit.getRuleCase()) {
            case DESPAWN -> List.of(unit.getDespawn().getEntityId());
            case TRANSFER_ITEM -> List.of(unit.getTransferItem().getItemId());
            case TRADE -> {
                List<Long> items = new ArrayList<>(unit.getTrade().getItemsAToBList());
                items.addAll(unit.getTrade().getItemsBToAList());
                yield items;
            }
            default -> List.of();
        };
    }

    /**
     * Named ids that the rule requires to be held by a player the unit also names (trade items,
     * a harvest's container). Their roots are the named players: if such a row is held by anyone
     * else, the rule refuses the unit, so their owners are never locked or chased.
     */
    public static List<Long> heldByNamedPlayers(RmwUnit unit) {
        return switch (unit.getRuleCase()) {
            case TRADE -> {
                List<Long> items = new ArrayList<>(unit.getTrade().getItemsAToBList());
                items.addAll(unit.getTrade().getItemsBToAList());
                yield items;
            }
            case HARVEST -> unit.getHarvest().getContainerId() == 0 ? List.of() : List.of(unit.getHarvest().getContainerId());
            default -> List.of();
        };
    }

    /** Named ids whose hierarchy root the unit must lock: every named id the rule does not tie to a named player. */
    public static List<Long> rootedIds(RmwUnit unit) {
        List<Long> ids = entityIds(unit);
        ids.removeAll(heldByNamedPlayers(unit));
        return ids;
    }

    /** The holder a harvest stacks into: the container, or the player's top level. */
    public static long harvestHolder(RmwUnit unit) {
        return unit.getHarvest().getContainerId() != 0 ? unit.getHarvest().getContainerId() : unit.getHarvest().getPlayerId();
    }
}
