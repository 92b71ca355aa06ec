package io.gamestate.state;

import static io.gamestate.state.TestWorld.damage;
import static io.gamestate.state.TestWorld.harvest;
import static io.gamestate.state.TestWorld.heal;
import static io.gamestate.state.TestWorld.move;
import static io.gamestate.state.TestWorld.trade;
import static io.gamestate.state.TestWorld.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamestate.proto.state.v1.Cell;
import io.gamestate.proto.state.v1.ChangeEvent;
import io.gamestate.proto.state.v1.DespawnEntityRequest;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.GetCellRequest;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.LayerAggregate;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.Rule;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.gamestate.state.config.StateConfig;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rule through the real gRPC API on the real store of the family under test. */
@QuarkusTest
class RulesTest extends WorldTest {

    @Inject
    StateConfig config;

    // Superblocks are 256 wide: cell 1 is [0,256)x[0,256), cell 2 is [256,512)x[0,256).
    static final long CELL_1 = 1;
    static final long CELL_2 = 2;

    @Test
    void spawnPlacesARootAndCountsIt() {
        long p = world.player(10, 10, 50);
        Entity e = entity(p);
        assertThat(e.getKind()).isEqualTo(EntityKind.ENTITY_KIND_PLAYER);
        assertThat(e.getCellId()).isEqualTo(CELL_1);
        assertThat(e.getOwnerId()).isEqualTo(p);
        assertThat(e.getHp()).isEqualTo(100);
        assertThat(e.getGold()).isEqualTo(50);
        assertThat(e.getMorton()).isPositive();
        Cell cell = cell(CELL_1);
        assertThat(cell.getNumEntities()).isEqualTo(1);
        assertThat(cell.getVersion()).isEqualTo(1);
        assertThat(aggregate(cell, EntityKind.ENTITY_KIND_PLAYER).getCount()).isEqualTo(1);
        assertThat(aggregate(cell, EntityKind.ENTITY_KIND_PLAYER).getHpTotal()).isEqualTo(100);
        assertThat(cell.getTerrain().getBiome()).isNotEmpty();
    }

    @Test
    void spawnHeldEntitiesBuildsAnLcrsTree() {
        long p = world.player(10, 10, 0);
        long bag = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
        long sword = world.held(EntityKind.ENTITY_KIND_ITEM, bag, "sword", 1);
        long shield = world.held(EntityKind.ENTITY_KIND_ITEM, bag, "shield", 1);
        assertThat(entity(p).getFirstChildId()).isEqualTo(bag);
        assertThat(entity(bag).getFirstChildId()).isEqualTo(shield);
        assertThat(entity(shield).getNextSiblingId()).isEqualTo(sword);
        assertThat(entity(sword).getPrevSiblingId()).isEqualTo(shield);
        assertThat(entity(sword).getOwnerId()).isEqualTo(p);
        assertThat(entity(sword).hasPosition()).isFalse();
        assertThat(cell(CELL_1).getNumEntities()).as("held entities are not in the cell count").isEqualTo(1);
        assertThat(cell(CELL_1).getVersion()).as("a change in a player's tree is a change in its cell").isEqualTo(4);
    }

    @Test
    void moveAcrossACellBorderMovesCountersAggregatesAndLogsBothCells() {
        long p = world.player(250, 10, 0);
        RmwResult r = world.apply(move(p, 260, 12));
        assertThat(r.getEntities(0).getCellId()).isEqualTo(CELL_2);
        assertThat(r.getCellsList()).extracting(c -> c.getCellId()).containsExactlyInAnyOrder(CELL_1, CELL_2);
        assertThat(cell(CELL_1).getNumEntities()).isZero();
        assertThat(cell(CELL_2).getNumEntities()).isEqualTo(1);
        assertThat(aggregate(cell(CELL_1), EntityKind.ENTITY_KIND_PLAYER).getCount()).isZero();
        assertThat(aggregate(cell(CELL_2), EntityKind.ENTITY_KIND_PLAYER).getHpTotal()).isEqualTo(100);
        ChangeEvent left = event(CELL_1, 2);
        assertThat(left.getRule()).isEqualTo(Rule.RULE_MOVE);
        assertThat(left.getEntities(0).getCellId()).isEqualTo(CELL_2);
        assertThat(event(CELL_2, 1).getRequestId()).isEqualTo(left.getRequestId());
    }

    @Test
    void moveInsideACellKeepsCounters() {
        long p = world.player(10, 10, 0);
        world.apply(move(p, 20, 30));
        Entity e = entity(p);
        assertThat(e.getPosition().getX()).isEqualTo(20);
        assertThat(e.getPosition().getY()).isEqualTo(30);
        assertThat(e.getVersion()).isEqualTo(2);
        assertThat(cell(CELL_1).getNumEntities()).isEqualTo(1);
        assertThat(cell(CELL_1).getVersion()).isEqualTo(2);
    }

    @Test
    void damageKillsAtZeroAndHealStaysWithinBounds() {
        long p = world.player(10, 10, 0);
        long npc = world.npc(12, 10, 30);
        world.apply(heal(npc, 50));
        assertThat(entity(npc).getHp()).as("heal stops at max hp").isEqualTo(30);
        world.apply(damage(p, npc, 20));
        assertThat(entity(npc).getHp()).isEqualTo(10);
        RmwResult kill = world.apply(damage(p, npc, 25));
        assertThat(kill.getEntities(0).getHp()).as("hp never goes below zero").isZero();
        assertThat(kill.getEntities(0).getDead()).isTrue();
        assertThat(aggregate(cell(CELL_1), EntityKind.ENTITY_KIND_NPC).getHpTotal()).isZero();
        assertThat(world.number("SELECT COUNT(*) FROM effect WHERE target_id = ?", npc)).isEqualTo(3);
        expectStatus(() -> world.apply(damage(p, npc, 1)), Status.Code.FAILED_PRECONDITION, "dead");
        expectStatus(() -> world.apply(heal(npc, 1)), Status.Code.FAILED_PRECONDITION, "dead");
        expectStatus(() -> world.apply(move(npc, 1, 1)), Status.Code.FAILED_PRECONDITION, "dead");
    }

    @Test
    void harvestMovesExactlyWhatTheNodeLosesIntoOneStack() {
        long p = world.player(10, 10, 0);
        long node = world.node(15, 15, "ore", 10);
        RmwResult first = world.apply(harvest(p, node, 4, 0));
        assertThat(first.getHarvested()).isEqualTo(4);
        world.apply(harvest(p, node, 4, 0));
        RmwResult last = world.apply(harvest(p, node, 4, 0));
        assertThat(last.getHarvested()).as("a node gives at most what it has").isEqualTo(2);
        assertThat(entity(node).getAmount()).isZero();
        Entity stack = entity(entity(p).getFirstChildId());
        assertThat(stack.getItemType()).isEqualTo("ore");
        assertThat(stack.getAmount()).isEqualTo(10);
        assertThat(stack.getNextSiblingId()).as("one stack per type").isZero();
        assertThat(aggregate(cell(CELL_1), EntityKind.ENTITY_KIND_RESOURCE_NODE).getAmountTotal()).isZero();
        List<String> before = world.snapshot();
        expectStatus(() -> world.apply(harvest(p, node, 1, 0)), Status.Code.FAILED_PRECONDITION, "exhausted");
        assertThat(world.snapshot()).isEqualTo(before);
    }

    @Test
    void harvestIntoAContainer() {
        long p = world.player(10, 10, 0);
        long bag = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
        long node = world.node(15, 15, "wood", 5);
        world.apply(harvest(p, node, 3, bag));
        Entity stack = entity(entity(bag).getFirstChildId());
        assertThat(stack.getAmount()).isEqualTo(3);
        assertThat(stack.getParentId()).isEqualTo(bag);
        long other = world.player(20, 20, 0);
        expectStatus(() -> world.apply(harvest(other, node, 1, bag)), Status.Code.FAILED_PRECONDITION, "not a container of player");
    }

    @Test
    void tradeSwapsGoldAndItemSubtreesAtomically() {
        long a = world.player(10, 10, 100);
        long b = world.player(300, 10, 40);
        long bag = world.held(EntityKind.ENTITY_KIND_CONTAINER, a, "", 0);
        long gem = world.held(EntityKind.ENTITY_KIND_ITEM, bag, "gem", 3);
        long potion = world.held(EntityKind.ENTITY_KIND_ITEM, b, "potion", 1);
        RmwResult r = world.apply(trade(a, b, 30, 10, List.of(bag), List.of(potion)));
        assertThat(r.getCellsList()).hasSize(2);
        assertThat(entity(a).getGold()).isEqualTo(80);
        assertThat(entity(b).getGold()).isEqualTo(60);
        assertThat(entity(bag).getOwnerId()).isEqualTo(b);
        assertThat(entity(gem).getOwnerId()).as("the subtree changes owner with its root").isEqualTo(b);
        assertThat(entity(gem).getParentId()).isEqualTo(bag);
        assertThat(entity(potion).getOwnerId()).isEqualTo(a);
        assertThat(entity(a).getFirstChildId()).isEqualTo(potion);
        assertThat(world.number("SELECT SUM(gold) FROM entity")).isEqualTo(140);
    }

    @Test
    void tradeWithoutEnoughGoldOrWithSomeoneElsesItemWritesNothing() {
        long a = world.player(10, 10, 5);
        long b = world.player(20, 10, 5);
        long c = world.player(30, 10, 5);
        long ring = world.held(EntityKind.ENTITY_KIND_ITEM, c, "ring", 1);
        List<String> before = world.snapshot();
        expectStatus(() -> world.apply(trade(a, b, 6, 0, List.of(), List.of())), Status.Code.FAILED_PRECONDITION, "gold");
        expectStatus(() -> world.apply(trade(a, b, 1, 0, List.of(ring), List.of())), Status.Code.FAILED_PRECONDITION, "not held by player");
        assertThat(world.snapshot()).isEqualTo(before);
    }

    @Test
    void transferReparentsASubtreeAndRefusesCyclesAndWrongKinds() {
        long p = world.player(10, 10, 0);
        long q = world.player(12, 10, 0);
        long bag = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
        long pouch = world.held(EntityKind.ENTITY_KIND_CONTAINER, bag, "", 0);
        long coin = world.held(EntityKind.ENTITY_KIND_ITEM, pouch, "coin", 7);
        long knife = world.held(EntityKind.ENTITY_KIND_ITEM, p, "knife", 1);
        world.apply(transfer(knife, pouch));
        assertThat(entity(pouch).getFirstChildId()).isEqualTo(knife);
        assertThat(entity(knife).getNextSiblingId()).isEqualTo(coin);
        assertThat(entity(p).getFirstChildId()).isEqualTo(bag);
        List<String> before = world.snapshot();
        expectStatus(() -> world.apply(transfer(bag, pouch)), Status.Code.FAILED_PRECONDITION, "own subtree");
        expectStatus(() -> world.apply(transfer(p, bag)), Status.Code.FAILED_PRECONDITION, "not held");
        expectStatus(() -> world.apply(transfer(bag, coin)), Status.Code.FAILED_PRECONDITION, "cannot hold");
        assertThat(world.snapshot()).isEqualTo(before);
        world.apply(transfer(bag, q));
        assertThat(entity(coin).getOwnerId()).isEqualTo(q);
        assertThat(entity(knife).getOwnerId()).isEqualTo(q);
        assertThat(entity(p).getFirstChildId()).isZero();
    }

    @Test
    void guildsArePartiesOfMembers() {
        long guild = world.spawn(io.gamestate.proto.state.v1.Spawn.newBuilder()
                .setKind(EntityKind.ENTITY_KIND_GUILD).setPosition(TestWorld.pos(100, 100)));
        long party = world.held(EntityKind.ENTITY_KIND_PARTY, guild, "", 0);
        long member = world.held(EntityKind.ENTITY_KIND_MEMBER, party, "", 0);
        long other = world.held(EntityKind.ENTITY_KIND_PARTY, guild, "", 0);
        world.apply(transfer(member, other));
        assertThat(entity(other).getFirstChildId()).isEqualTo(member);
        assertThat(entity(party).getFirstChildId()).isZero();
        expectStatus(() -> world.held(EntityKind.ENTITY_KIND_ITEM, party, "x", 1), Status.Code.FAILED_PRECONDITION, "cannot hold");
    }

    @Test
    void despawnRemovesTheWholeSubtree() {
        long p = world.player(10, 10, 0);
        long bag = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
        world.held(EntityKind.ENTITY_KIND_ITEM, bag, "gem", 1);
        long keep = world.player(11, 10, 0);
        long kept = world.held(EntityKind.ENTITY_KIND_ITEM, keep, "gem", 1);
        RmwResult r = world.client().despawnEntity(DespawnEntityRequest.newBuilder()
                .setRequestId(TestWorld.newId()).setEntityId(p).build()).await().atMost(TestWorld.WAIT);
        assertThat(r.getRemovedEntityIdsList()).hasSize(3).contains(p, bag);
        assertThat(world.number("SELECT COUNT(*) FROM entity")).isEqualTo(2);
        assertThat(cell(CELL_1).getNumEntities()).isEqualTo(1);
        world.client().despawnEntity(DespawnEntityRequest.newBuilder()
                .setRequestId(TestWorld.newId()).setEntityId(kept).build()).await().atMost(TestWorld.WAIT);
        assertThat(entity(keep).getFirstChildId()).isZero();
    }

    @Test
    void lookupsReportNotFound() {
        expectStatus(() -> world.client().getEntity(GetEntityRequest.newBuilder().setEntityId(987654321).build())
                .await().atMost(TestWorld.WAIT), Status.Code.NOT_FOUND, "987654321");
        expectStatus(() -> world.client().getCell(GetCellRequest.newBuilder().setCellId(987654321).build())
                .await().atMost(TestWorld.WAIT), Status.Code.NOT_FOUND, "987654321");
    }

    // ---- helpers ---------------------------------------------------------------------------

    Entity entity(long id) {
        return world.client().getEntity(GetEntityRequest.newBuilder().setEntityId(id).build()).await().atMost(TestWorld.WAIT);
    }

    Cell cell(long id) {
        return world.client().getCell(GetCellRequest.newBuilder().setCellId(id).build()).await().atMost(TestWorld.WAIT);
    }

    static LayerAggregate aggregate(Cell cell, EntityKind kind) {
        return cell.getAggregatesList().stream().filter(a -> a.getKind() == kind).findFirst().orElseThrow();
    }

    ChangeEvent event(long cellId, long version) {
        try {
            return ChangeEvent.parseFrom(world.rows("SELECT payload FROM change_log WHERE cell_id = ? AND cell_version = ?",
                    cellId, version).get(0).getBuffer(0).getBytes());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sumsPastTheWorldLimitsAreRefusedNotWrapped() {
        long maxGold = config.limits().maxGold();
        long maxAmount = config.limits().maxAmount();
        long rich = world.player(10, 10, maxGold);
        long poor = world.player(12, 10, 5);
        world.held(EntityKind.ENTITY_KIND_ITEM, poor, "ore", maxAmount);
        long node = world.node(14, 10, "ore", maxAmount);
        List<String> before = world.snapshot();

        expectStatus(() -> world.apply(trade(poor, rich, 1, 0, List.of(), List.of())), Status.Code.FAILED_PRECONDITION,
                "world limit");
        expectStatus(() -> world.apply(harvest(poor, node, Long.MAX_VALUE, 0)), Status.Code.FAILED_PRECONDITION, "world limit");
        assertThat(world.snapshot()).as("nothing written").isEqualTo(before);

        world.node(16, 10, "ore", maxAmount);
        assertThat(aggregate(cell(CELL_1), EntityKind.ENTITY_KIND_RESOURCE_NODE).getAmountTotal())
                .as("two full nodes in one cell add up without overflow").isEqualTo(2 * maxAmount);
    }

    static void expectStatus(Runnable call, Status.Code code, String messagePart) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(code);
                    assertThat(e.getStatus().getDescription()).contains(messagePart);
                });
    }
}
