package io.gamestate.state.rules;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.proto.state.v1.Trade;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.model.EntityRecord;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gold both ways and items each way between two living players, all or nothing. The unit carries
 * what both players agreed to: the GLS sends it only once the other player accepted the offer.
 */
@Singleton
public class TradeRule extends RuleHandler<Trade> {

    static final int MAX_TRADE_ITEMS = 64;

    private final StateConfig.Limits limits;

    public TradeRule(StateConfig config) {
        super(RmwUnit.RuleCase.TRADE, Rule.RULE_TRADE, RmwUnit::getTrade);
        this.limits = config.limits();
    }

    @Override
    protected void validate(Trade t) {
        Checks.positive(t.getPlayerA(), "trade.player_a");
        Checks.positive(t.getPlayerB(), "trade.player_b");
        if (t.getPlayerA() == t.getPlayerB()) {
            throw RuleViolation.invalid("trade: a player cannot trade with itself");
        }
        Checks.within(t.getGoldAToB(), limits.maxGold(), "trade.gold_a_to_b");
        Checks.within(t.getGoldBToA(), limits.maxGold(), "trade.gold_b_to_a");
        if (t.getItemsAToBCount() + t.getItemsBToACount() > MAX_TRADE_ITEMS) {
            throw RuleViolation.invalid("trade moves more than " + MAX_TRADE_ITEMS + " items");
        }
        Set<Long> seen = new HashSet<>();
        for (long id : items(t)) {
            Checks.positive(id, "trade item id");
            if (!seen.add(id)) {
                throw RuleViolation.invalid("trade lists item " + id + " twice");
            }
        }
    }

    @Override
    protected AccessPlan.Builder plan(AccessPlan.Builder plan, Trade t) {
        List<Long> items = items(t);
        plan.named(t.getPlayerA(), t.getPlayerB());
        // Gold alone changes the two players' rows; items relink trees.
        return items.isEmpty() ? plan : plan.named(items).heldByNamedPlayers(items).changesTree().subtreeRoots(items);
    }

    @Override
    protected void apply(WorkingSet ws, Trade t) {
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
        long goldA = Checks.withinLimit(a.gold, -net, limits.maxGold(), "the gold of player " + a.id);
        long goldB = Checks.withinLimit(b.gold, net, limits.maxGold(), "the gold of player " + b.id);
        ws.modify(a.id).gold = goldA;
        ws.modify(b.id).gold = goldB;
        for (long itemId : t.getItemsAToBList()) {
            Trees.reparent(ws, itemId, b.id);
        }
        for (long itemId : t.getItemsBToAList()) {
            Trees.reparent(ws, itemId, a.id);
        }
    }

    private static List<Long> items(Trade t) {
        List<Long> items = new ArrayList<>(t.getItemsAToBList());
        items.addAll(t.getItemsBToAList());
        return items;
    }

    private static EntityRecord requireTrader(WorkingSet ws, long id) {
        EntityRecord e = Checks.requireLivingCreature(ws, id, "player");
        if (e.entityKind() != EntityKind.ENTITY_KIND_PLAYER) {
            throw RuleViolation.precondition("entity " + id + " is " + e.entityKind() + ": only players trade");
        }
        return e;
    }

    /** Checked before anything changes: an item held by anyone else is never modified, its root was not locked. */
    private static void requireHeldBy(WorkingSet ws, long itemId, EntityRecord player) {
        EntityRecord item = ws.require(itemId, "item");
        if (item.isRoot() || item.ownerId != player.id) {
            throw RuleViolation.precondition("item " + itemId + " is not held by player " + player.id);
        }
    }
}
