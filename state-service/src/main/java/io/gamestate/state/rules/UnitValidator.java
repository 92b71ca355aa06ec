package io.gamestate.state.rules;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.Trade;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.model.Kinds;
import io.gamestate.common.world.WorldGeometry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a unit's shape before any database work: what is wrong here needs no row to know. */
@ApplicationScoped
public class UnitValidator {

    static final int MAX_REQUEST_ID_LENGTH = 64;
    static final int MAX_ITEM_TYPE_LENGTH = 32;
    static final int MAX_TRADE_ITEMS = 64;
    static final int MAX_ATTRIBUTES = 32;
    static final int MAX_ATTRIBUTE_LENGTH = 256;

    private final WorldGeometry geometry;
    private final StateConfig.Limits limits;

    public UnitValidator(WorldGeometry geometry, StateConfig config) {
        this.geometry = geometry;
        this.limits = config.limits();
    }

    public void validate(RmwUnit unit) {
        String requestId = unit.getRequestId();
        if (requestId.isBlank()) {
            throw RuleViolation.invalid("request_id is required: it makes retries apply once");
        }
        if (requestId.length() > MAX_REQUEST_ID_LENGTH) {
            throw RuleViolation.invalid("request_id is longer than " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        storable(requestId, "request_id");
        switch (unit.getRuleCase()) {
            case SPAWN -> spawn(unit.getSpawn());
            case DESPAWN -> positive(unit.getDespawn().getEntityId(), "despawn.entity_id");
            case MOVE -> {
                positive(unit.getMove().getEntityId(), "move.entity_id");
                if (!unit.getMove().hasTo()) {
                    throw RuleViolation.invalid("move.to is required");
                }
                inWorld(unit.getMove().getTo(), "move.to");
            }
            case DAMAGE -> {
                notNegative(unit.getDamage().getAttackerId(), "damage.attacker_id");
                positive(unit.getDamage().getTargetId(), "damage.target_id");
                positive(unit.getDamage().getAmount(), "damage.amount");
            }
            case HEAL -> {
                notNegative(unit.getHeal().getHealerId(), "heal.healer_id");
                positive(unit.getHeal().getTargetId(), "heal.target_id");
                positive(unit.getHeal().getAmount(), "heal.amount");
            }
            case HARVEST -> {
                positive(unit.getHarvest().getPlayerId(), "harvest.player_id");
                positive(unit.getHarvest().getNodeId(), "harvest.node_id");
                positive(unit.getHarvest().getAmount(), "harvest.amount");
                notNegative(unit.getHarvest().getContainerId(), "harvest.container_id");
            }
            case TRADE -> trade(unit.getTrade());
            case TRANSFER_ITEM -> {
                positive(unit.getTransferItem().getItemId(), "transfer_item.item_id");
                positive(unit.getTransferItem().getToParentId(), "transfer_item.to_parent_id");
                if (unit.getTransferItem().getItemId() == unit.getTransferItem().getToParentId()) {
                    throw RuleViolation.invalid("transfer_item: an item cannot be its own parent");
                }
            }
            case RULE_NOT_SET -> throw RuleViolation.invalid("unit " + requestId + " has no rule");
        }
    }

    private void spawn(Spawn s) {
        if (s.getKind() == EntityKind.ENTITY_KIND_UNSPECIFIED || s.getKind() == EntityKind.UNRECOGNIZED) {
            throw RuleViolation.invalid("spawn.kind is required");
        }
        if (Kinds.isPlaced(s.getKind())) {
            if (!s.hasPosition()) {
                throw RuleViolation.invalid("spawn of " + s.getKind() + " needs a position");
            }
            if (s.getParentId() != 0) {
                throw RuleViolation.invalid(s.getKind() + " is placed in the world and has no parent");
            }
            inWorld(s.getPosition(), "spawn.position");
        } else {
            positive(s.getParentId(), "spawn.parent_id of " + s.getKind());
            if (s.hasPosition()) {
                throw RuleViolation.invalid(s.getKind() + " is held, not placed: it takes a parent, not a position");
            }
        }
        within(s.getHp(), limits.maxHp(), "spawn.hp");
        within(s.getGold(), limits.maxGold(), "spawn.gold");
        within(s.getAmount(), limits.maxAmount(), "spawn.amount");
        storable(s.getItemType(), "spawn.item_type");
        if (s.getKind() == EntityKind.ENTITY_KIND_RESOURCE_NODE && s.getItemType().isEmpty()) {
            throw RuleViolation.invalid("a resource node needs the item_type it yields");
        }
        if (s.getItemType().length() > MAX_ITEM_TYPE_LENGTH) {
            throw RuleViolation.invalid("spawn.item_type is longer than " + MAX_ITEM_TYPE_LENGTH + " characters");
        }
        if (s.getAttributesCount() > MAX_ATTRIBUTES) {
            throw RuleViolation.invalid("spawn.attributes has more than " + MAX_ATTRIBUTES + " entries");
        }
        for (Map.Entry<String, String> a : s.getAttributesMap().entrySet()) {
            if (a.getKey().length() + a.getValue().length() > MAX_ATTRIBUTE_LENGTH) {
                throw RuleViolation.invalid("spawn.attributes[" + a.getKey() + "] is longer than " + MAX_ATTRIBUTE_LENGTH);
            }
            storable(a.getKey(), "spawn.attributes key");
            storable(a.getValue(), "spawn.attributes[" + a.getKey() + "]");
        }
    }

    private void trade(Trade t) {
        positive(t.getPlayerA(), "trade.player_a");
        positive(t.getPlayerB(), "trade.player_b");
        if (t.getPlayerA() == t.getPlayerB()) {
            throw RuleViolation.invalid("trade: a player cannot trade with itself");
        }
        within(t.getGoldAToB(), limits.maxGold(), "trade.gold_a_to_b");
        within(t.getGoldBToA(), limits.maxGold(), "trade.gold_b_to_a");
        if (t.getItemsAToBCount() + t.getItemsBToACount() > MAX_TRADE_ITEMS) {
            throw RuleViolation.invalid("trade moves more than " + MAX_TRADE_ITEMS + " items");
        }
        Set<Long> seen = new HashSet<>();
        for (List<Long> items : List.of(t.getItemsAToBList(), t.getItemsBToAList())) {
            for (long id : items) {
                positive(id, "trade item id");
                if (!seen.add(id)) {
                    throw RuleViolation.invalid("trade lists item " + id + " twice");
                }
            }
        }
    }

    private void inWorld(Position p, String field) {
        if (!Double.isFinite(p.getX()) || !Double.isFinite(p.getY())) {
            throw RuleViolation.invalid(field + " is not a finite number: (" + p.getX() + ", " + p.getY() + ")");
        }
        if (!geometry.contains(p.getX(), p.getY())) {
            throw RuleViolation.invalid(field + " (" + p.getX() + ", " + p.getY() + ") is outside the world [0, "
                    + geometry.width() + ") x [0, " + geometry.height() + ")");
        }
    }

    private static void within(long v, long max, String field) {
        notNegative(v, field);
        if (v > max) {
            throw RuleViolation.invalid(field + " is " + v + ", above the world limit of " + max);
        }
    }

    /** Text both store families keep as sent: PostgreSQL refuses NUL in text (SQLSTATE 22021). */
    private static void storable(String text, String field) {
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw RuleViolation.invalid(field + " contains a NUL character (0x00) at position " + nul);
        }
    }

    private static void positive(long v, String field) {
        if (v <= 0) {
            throw RuleViolation.invalid(field + " must be positive, got " + v);
        }
    }

    private static void notNegative(long v, String field) {
        if (v < 0) {
            throw RuleViolation.invalid(field + " must not be negative, got " + v);
        }
    }
}
