package io.gamestate.state;

import static io.gamestate.state.TestWorld.damage;
import static io.gamestate.state.TestWorld.harvest;
import static io.gamestate.state.TestWorld.move;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.Cell;
import io.gamestate.proto.state.v1.GetCellRequest;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.state.service.PartitionService;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Splits and merges of the partition tree, alone and under concurrent RMW traffic. */
@QuarkusTest
class PartitionTest extends WorldTest {

    @Inject
    PartitionService partitions;

    @Test
    void aSplitMovesEntitiesToTheLeavesThatHoldThemAndAMergeUndoesIt() {
        List<Long> players = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            players.add(world.player(10 + i * 20, 10 + i * 20, 0));
        }
        long node = world.node(200, 30, "ore", 50);
        assertThat(split(1)).isTrue();
        Cell root = cell(1);
        assertThat(root.getLeaf()).isFalse();
        assertThat(root.getNumEntities()).isZero();
        assertThat(root.getVersion()).as("13 spawns and the split").isEqualTo(14);
        long children = world.number("SELECT COUNT(*) FROM cell WHERE parent_id = 1");
        assertThat(children).isBetween(2L, 4L);
        assertThat(world.number("SELECT SUM(num_entities) FROM cell WHERE parent_id = 1")).isEqualTo(13);
        assertThat(world.number("SELECT COUNT(*) FROM change_log WHERE rule = 9")).as("one SPLIT event per cell").isEqualTo(children + 1);

        long child = world.number("SELECT cell_id FROM entity WHERE id = ?", players.get(0));
        assertThat(cell(child).getParentId()).isEqualTo(1);
        assertThat(cell(child).getTerrain().getBiome()).isEqualTo(root.getTerrain().getBiome());
        RmwResult moved = world.apply(move(players.get(0), 250, 250));
        assertThat(moved.getEntities(0).getCellId()).isNotEqualTo(child).isNotEqualTo(1);
        world.apply(harvest(players.get(0), node, 5, 0));
        world.assertInvariants();

        assertThat(merge(1)).isTrue();
        assertThat(cell(1).getLeaf()).isTrue();
        assertThat(cell(1).getNumEntities()).isEqualTo(13);
        assertThat(world.number("SELECT COUNT(*) FROM cell WHERE parent_id = 1")).isZero();
        assertThat(world.client().getEntity(GetEntityRequest.newBuilder().setEntityId(players.get(5)).build())
                .await().atMost(TestWorld.WAIT).getCellId()).isEqualTo(1);
    }

    @Test
    void splitsNestUntilTheMinimumCellSize() {
        for (int i = 0; i < 10; i++) {
            world.player(1 + i, 1 + i, 0);
        }
        int splits = 0;
        long leaf = 1;
        while (split(leaf)) {
            splits++;
            leaf = world.number("SELECT cell_id FROM entity ORDER BY id LIMIT 1");
        }
        assertThat(splits).isPositive();
        Cell smallest = cell(leaf);
        assertThat(Math.min(smallest.getBounds().getMaxX() - smallest.getBounds().getMinX(),
                smallest.getBounds().getMaxY() - smallest.getBounds().getMinY())).isGreaterThanOrEqualTo(16);
        assertThat(smallest.getDepth()).isEqualTo(splits);
    }

    @Test
    void splitsAndMergesUnderConcurrentTrafficLoseNothing() {
        List<Long> players = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            players.add(world.player(5 + i * 15, 5 + (i * 37) % 250, 1000));
        }
        long npc = world.npc(128, 128, 1_000_000);
        long node = world.node(64, 64, "ore", 1_000_000);
        Map<String, Throwable> unexpected = new ConcurrentHashMap<>();
        List<Multi<RmwResult>> callers = new ArrayList<>();
        for (int c = 0; c < 32; c++) {
            Random random = new Random(c);
            callers.add(Multi.createFrom().range(0, 25).onItem().transformToUniAndConcatenate(i -> {
                long p = players.get(random.nextInt(players.size()));
                RmwUnit unit = switch (random.nextInt(3)) {
                    // Moves stay inside superblock 0 and cross its inner cell borders.
                    case 0 -> move(p, random.nextDouble() * 255, random.nextDouble() * 255);
                    case 1 -> damage(p, npc, 1);
                    default -> harvest(p, node, 1, 0);
                };
                return world.client().applyRmw(unit).onFailure().invoke(e -> unexpected.put(unit.getRequestId(), e))
                        .onFailure().recoverWithNull();
            }));
        }
        CompletableFuture<List<RmwResult>> traffic = Multi.createBy().merging().streams(callers)
                .collect().asList().subscribeAsCompletionStage();
        int changes = 0;
        while (!traffic.isDone()) {
            long leaf = world.number("SELECT cell_id FROM entity WHERE id = ?", players.get(changes % players.size()));
            if (changes % 3 == 2) {
                long parent = world.number("SELECT COALESCE(parent_id, 0) FROM cell WHERE id = ?", leaf);
                if (parent != 0 && merge(parent)) {
                    changes++;
                }
            } else if (split(leaf)) {
                changes++;
            }
        }
        traffic.join();
        assertThat(unexpected).as("no RMW failed because of a split or merge").isEmpty();
        assertThat(changes).as("the partition changed while traffic ran").isGreaterThan(2);
        long hits = world.number("SELECT COUNT(*) FROM change_log WHERE rule = 4 AND request_id NOT LIKE 'split%'"
                + " AND cell_id = (SELECT cell_id FROM entity WHERE id = ?)", npc);
        long harvested = world.number("SELECT COALESCE(SUM(amount), 0) FROM entity WHERE item_type = 'ore' AND kind = 4");
        assertThat(world.number("SELECT amount FROM entity WHERE id = ?", node)).isEqualTo(1_000_000 - harvested);
        assertThat(world.number("SELECT COUNT(DISTINCT request_id) FROM change_log WHERE rule = 4"))
                .isEqualTo(1_000_000 - world.number("SELECT hp FROM entity WHERE id = ?", npc));
        assertThat(hits).isLessThanOrEqualTo(1_000_000);
        assertThat(world.number("SELECT SUM(gold) FROM entity")).isEqualTo(16_000);
    }

    boolean split(long cellId) {
        return partitions.split(cellId).await().atMost(Duration.ofSeconds(30));
    }

    boolean merge(long parentId) {
        return partitions.merge(parentId, true).await().atMost(Duration.ofSeconds(30));
    }

    Cell cell(long id) {
        return world.client().getCell(GetCellRequest.newBuilder().setCellId(id).build()).await().atMost(TestWorld.WAIT);
    }
}
