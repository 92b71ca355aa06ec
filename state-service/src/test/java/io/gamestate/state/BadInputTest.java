package io.gamestate.state;

import static io.gamestate.state.RulesTest.expectStatus;
import static io.gamestate.state.TestWorld.damage;
import static io.gamestate.state.TestWorld.harvest;
import static io.gamestate.state.TestWorld.move;
import static io.gamestate.state.TestWorld.pos;
import static io.gamestate.state.TestWorld.trade;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.Move;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.SpawnEntityRequest;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets its status and a message that names the problem; nothing is written. */
@QuarkusTest
class BadInputTest {

    @Inject
    TestWorld world;

    long player;
    long node;
    long item;
    List<String> before;

    @BeforeEach
    void setUp() {
        world.reset();
        player = world.player(10, 10, 5);
        node = world.node(12, 12, "ore", 3);
        item = world.held(EntityKind.ENTITY_KIND_ITEM, player, "gem", 1);
        before = world.snapshot();
    }

    void refused(RmwUnit unit, Status.Code code, String messagePart) {
        expectStatus(() -> world.apply(unit), code, messagePart);
        assertThat(world.snapshot()).as("nothing written for " + unit.getRuleCase()).isEqualTo(before);
    }

    @Test
    void coordinatesMustBeFiniteAndInsideTheWorld() {
        refused(move(player, Double.NaN, 5), Status.Code.INVALID_ARGUMENT, "finite");
        refused(move(player, 5, Double.POSITIVE_INFINITY), Status.Code.INVALID_ARGUMENT, "finite");
        refused(move(player, -0.5, 5), Status.Code.INVALID_ARGUMENT, "outside the world");
        refused(move(player, 4096, 5), Status.Code.INVALID_ARGUMENT, "outside the world");
        refused(RmwUnit.newBuilder().setRequestId(TestWorld.newId()).setMove(Move.newBuilder().setEntityId(player)).build(),
                Status.Code.INVALID_ARGUMENT, "move.to is required");
    }

    @Test
    void amountsMustBePositive() {
        refused(damage(0, player, -5), Status.Code.INVALID_ARGUMENT, "damage.amount");
        refused(damage(0, player, 0), Status.Code.INVALID_ARGUMENT, "damage.amount");
        refused(harvest(player, node, -1, 0), Status.Code.INVALID_ARGUMENT, "harvest.amount");
        refused(trade(player, player + 1, -3, 0, List.of(), List.of()), Status.Code.INVALID_ARGUMENT, "gold_a_to_b");
        refused(trade(player, player, 1, 0, List.of(), List.of()), Status.Code.INVALID_ARGUMENT, "itself");
    }

    @Test
    void requestIdsAreRequiredAndBounded() {
        refused(move(player, 1, 1).toBuilder().clearRequestId().build(), Status.Code.INVALID_ARGUMENT, "request_id is required");
        refused(move(player, 1, 1).toBuilder().setRequestId("x".repeat(65)).build(), Status.Code.INVALID_ARGUMENT, "longer than 64");
        refused(RmwUnit.newBuilder().setRequestId(TestWorld.newId()).build(), Status.Code.INVALID_ARGUMENT, "has no rule");
    }

    @Test
    void unknownIdsAreNotFound() {
        refused(move(987654321L, 1, 1), Status.Code.NOT_FOUND, "entity 987654321");
        refused(damage(player, 987654321L, 1), Status.Code.NOT_FOUND, "target 987654321");
        refused(harvest(player, 987654321L, 1, 0), Status.Code.NOT_FOUND, "resource node 987654321");
        expectStatus(() -> world.client().getEntity(GetEntityRequest.newBuilder().build()).await().atMost(TestWorld.WAIT),
                Status.Code.INVALID_ARGUMENT, "entity_id");
    }

    @Test
    void rulesTheKindCannotDoAreFailedPreconditions() {
        refused(move(node, 1, 1), Status.Code.FAILED_PRECONDITION, "only players and npcs");
        refused(damage(0, item, 1), Status.Code.FAILED_PRECONDITION, "only players and npcs");
        refused(harvest(player, player, 1, 0), Status.Code.FAILED_PRECONDITION, "not a resource node");
        refused(move(item, 1, 1), Status.Code.FAILED_PRECONDITION, "only players and npcs");
    }

    @Test
    void spawnsMustFitTheirKind() {
        for (Spawn.Builder bad : List.of(
                Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER),
                Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_ITEM).setPosition(pos(1, 1)).setParentId(player),
                Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_ITEM),
                Spawn.newBuilder().setPosition(pos(1, 1)),
                Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_RESOURCE_NODE).setPosition(pos(1, 1)),
                Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER).setPosition(pos(1, 1)).setGold(-1))) {
            expectStatus(() -> world.client().spawnEntity(SpawnEntityRequest.newBuilder().setRequestId(TestWorld.newId())
                    .setSpawn(bad).build()).await().atMost(TestWorld.WAIT), Status.Code.INVALID_ARGUMENT, "");
        }
        expectStatus(() -> world.held(EntityKind.ENTITY_KIND_ITEM, 987654321L, "gem", 1), Status.Code.NOT_FOUND, "parent 987654321");
        expectStatus(() -> world.held(EntityKind.ENTITY_KIND_ITEM, node, "gem", 1), Status.Code.FAILED_PRECONDITION, "cannot hold");
        assertThat(world.snapshot()).isEqualTo(before);
    }

    @Test
    void textTheStoreCannotKeepIsRefusedBeforeAnyWrite() {
        refused(move(player, 1, 1).toBuilder().setRequestId("id\0with-nul").build(), Status.Code.INVALID_ARGUMENT, "NUL");
        for (Spawn.Builder bad : List.of(
                Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_ITEM).setParentId(player).setItemType("g\0em"),
                Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_ITEM).setParentId(player).putAttributes("k", "v\0"))) {
            refused(RmwUnit.newBuilder().setRequestId(TestWorld.newId()).setSpawn(bad).build(), Status.Code.INVALID_ARGUMENT, "NUL");
        }
    }

    @Test
    void valuesBeyondTheWorldLimitsAreRefused() {
        refused(trade(player, player + 1, Long.MAX_VALUE, 0, List.of(), List.of()), Status.Code.INVALID_ARGUMENT, "world limit");
        for (Spawn.Builder bad : List.of(
                Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_PLAYER).setPosition(pos(1, 1)).setGold(Long.MAX_VALUE),
                Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_NPC).setPosition(pos(1, 1)).setHp(Integer.MAX_VALUE),
                Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_RESOURCE_NODE).setPosition(pos(1, 1)).setItemType("ore")
                        .setAmount(Long.MAX_VALUE))) {
            refused(RmwUnit.newBuilder().setRequestId(TestWorld.newId()).setSpawn(bad).build(), Status.Code.INVALID_ARGUMENT,
                    "world limit");
        }
    }

    @Test
    void batchesMustBeNonEmptyAndBounded() {
        expectStatus(() -> world.batch(List.of()), Status.Code.INVALID_ARGUMENT, "no units");
        List<RmwUnit> oversized = new ArrayList<>(Collections.nCopies(257, move(player, 1, 1)));
        expectStatus(() -> world.batch(oversized), Status.Code.INVALID_ARGUMENT, "at most 256");
        assertThat(world.snapshot()).isEqualTo(before);
    }
}
