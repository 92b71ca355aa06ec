package io.gamestate.state.rules;

import io.gamestate.common.world.WorldConfig;
import io.gamestate.common.world.WorldGeometry;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.state.config.StateConfig;
import io.gamestate.state.model.CellRecord;
import io.gamestate.state.model.EntityRecord;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.LongStream;

/**
 * The rules on a working set in memory, with no database: one leaf cell [0, 256)², the
 * configuration's defaults, and every handler registered as the service registers them. Rows are
 * made by the spawn rule itself, so trees are linked as the service links them.
 */
final class RuleFixture {

    static final long CELL = 1;

    final StateConfig config;
    final WorldGeometry geometry;
    final Rules rules;
    final WorkingSet ws = new WorkingSet(LongStream.range(1_000, 100_000).iterator(), 0);
    private int units;

    RuleFixture() {
        // The defaults of the mappings, with Quarkus's converter for durations such as "5s".
        SmallRyeConfig smallRye = new SmallRyeConfigBuilder().withMapping(StateConfig.class).withMapping(WorldConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()).build();
        config = smallRye.getConfigMapping(StateConfig.class);
        geometry = new WorldGeometry(smallRye.getConfigMapping(WorldConfig.class));
        rules = new Rules(List.of(new SpawnRule(geometry, config), new DespawnRule(), new MoveRule(geometry),
                new DamageRule(config), new HealRule(config), new HarvestRule(config), new TradeRule(config),
                new TransferItemRule()));
        CellRecord cell = new CellRecord();
        cell.id = CELL;
        cell.maxX = 256;
        cell.maxY = 256;
        ws.lockedCell(cell);
    }

    /** Validates and applies one unit as the service would; a refusal undoes it and is thrown. */
    WorkingSet.UnitOutcome apply(Consumer<RmwUnit.Builder> rule) {
        RmwUnit.Builder unit = RmwUnit.newBuilder().setRequestId("unit-" + ++units);
        rule.accept(unit);
        RmwUnit built = unit.build();
        rules.validate(built);
        ws.beginUnit();
        try {
            rules.apply(ws, built);
        } catch (RuntimeException e) {
            ws.rollbackUnit();
            throw e;
        }
        return ws.commitUnit(built.getRequestId(), rules.rule(built));
    }

    long player(double x, double y, long gold) {
        return spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER).setPosition(pos(x, y)).setGold(gold));
    }

    long npc(double x, double y, int hp) {
        return spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_NPC).setPosition(pos(x, y)).setHp(hp));
    }

    long node(double x, double y, String itemType, long amount) {
        return spawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_RESOURCE_NODE).setPosition(pos(x, y))
                .setItemType(itemType).setAmount(amount));
    }

    long held(EntityKind kind, long parent, String itemType, long amount) {
        return spawn(Spawn.newBuilder().setKind(kind).setParentId(parent).setItemType(itemType).setAmount(amount));
    }

    long spawn(Spawn.Builder spawn) {
        return apply(u -> u.setSpawn(spawn)).entities().get(0).id;
    }

    EntityRecord row(long id) {
        return ws.find(id);
    }

    static Position pos(double x, double y) {
        return Position.newBuilder().setX(x).setY(y).build();
    }
}
