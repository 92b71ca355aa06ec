package io.gamestate.state.rules;

import static io.gamestate.state.rules.Checks.inWorld;
import static io.gamestate.state.rules.Checks.positive;
import static io.gamestate.state.rules.Checks.storable;
import static io.gamestate.state.rules.Checks.within;

import io.gamestate.common.proto.Attributes;
import io.gamestate.common.world.WorldGeometry;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.model.EntityRecord;
import io.gamestate.state.model.Kinds;
import jakarta.inject.Singleton;
import java.util.Map;

/** A new root placed in the world, or a new held entity linked first under its parent. */
@Singleton
public class SpawnRule extends RuleHandler<Spawn> {

    static final int DEFAULT_CREATURE_HP = 100;
    static final int MAX_ITEM_TYPE_LENGTH = 32;
    static final int MAX_ATTRIBUTES = 32;
    static final int MAX_ATTRIBUTE_LENGTH = 256;

    private final WorldGeometry geometry;
    private final StateConfig.Limits limits;

    public SpawnRule(WorldGeometry geometry, StateConfig config) {
        super(RmwUnit.RuleCase.SPAWN, Rule.RULE_SPAWN, RmwUnit::getSpawn);
        this.geometry = geometry;
        this.limits = config.limits();
    }

    @Override
    protected void validate(Spawn s) {
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
            inWorld(geometry, s.getPosition(), "spawn.position");
        } else {
            positive(s.getParentId(), "spawn.parent_id of " + s.getKind());
            if (s.hasPosition()) {
                throw RuleViolation.invalid(s.getKind() + " is held, not placed: it takes a parent, not a position");
            }
        }
        within(s.getHp(), limits.maxHp(), "spawn.hp");
        within(s.getGold(), limits.maxGold(), "spawn.gold");
        within(s.getAmount(), limits.maxAmount(), "spawn.amount");
        if (s.getKind() == EntityKind.ENTITY_KIND_RESOURCE_NODE && s.getItemType().isEmpty()) {
            throw RuleViolation.invalid("a resource node needs the item_type it yields");
        }
        if (s.getItemType().length() > MAX_ITEM_TYPE_LENGTH) {
            throw RuleViolation.invalid("spawn.item_type is longer than " + MAX_ITEM_TYPE_LENGTH + " characters");
        }
        storable(s.getItemType(), "spawn.item_type");
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

    @Override
    protected AccessPlan.Builder plan(AccessPlan.Builder plan, Spawn s) {
        plan.named(s.getParentId()).newIds(1);
        if (s.hasPosition()) {
            plan.target(s.getPosition());
        }
        return s.getParentId() != 0 ? plan.changesTree() : plan;
    }

    @Override
    protected void apply(WorkingSet ws, Spawn s) {
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
            Trees.place(ws, geometry, e, s.getPosition().getX(), s.getPosition().getY());
            return;
        }
        EntityRecord parent = ws.require(s.getParentId(), "parent");
        Checks.requireCanHold(parent, s.getKind());
        ws.create(e);
        e.ownerId = parent.ownerId;
        ws.link(e.id, parent.id);
    }
}
