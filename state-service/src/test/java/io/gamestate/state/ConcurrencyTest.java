package io.gamestate.state;

import static io.gamestate.state.TestWorld.damage;
import static io.gamestate.state.TestWorld.harvest;
import static io.gamestate.state.TestWorld.move;
import static io.gamestate.state.TestWorld.trade;
import static io.gamestate.state.TestWorld.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 32 concurrent callers hammer the same players, npc, resource node and cell with every rule.
 * Afterwards nothing is lost or doubled: gold and items are conserved, hp and resources moved by
 * exactly the applied amounts, counters and aggregates equal a recount, and no deadlock or
 * serialization failure reached a caller.
 */
@QuarkusTest
class ConcurrencyTest {

    static final int CALLERS = 32;
    static final int UNITS_PER_CALLER = 30;
    static final int PLAYERS = 8;
    static final long GOLD_EACH = 1_000;
    static final int ITEMS_EACH = 4;

    @Inject
    TestWorld world;

    final List<Long> players = new ArrayList<>();
    final List<Long> items = new ArrayList<>();
    long npc;
    long node;

    @BeforeEach
    void setUp() {
        world.reset();
        players.clear();
        items.clear();
        for (int i = 0; i < PLAYERS; i++) {
            long p = world.player(240 + i, 100, GOLD_EACH);
            players.add(p);
            for (int j = 0; j < ITEMS_EACH; j++) {
                items.add(world.held(EntityKind.ENTITY_KIND_ITEM, p, "relic", 1));
            }
        }
        npc = world.npc(250, 120, 1_000_000);
        node = world.node(250, 130, "ore", 1_000_000);
    }

    @Test
    void hotEntitiesAndCellsLoseNothing() {
        Map<String, Throwable> unexpected = new ConcurrentHashMap<>();
        List<Multi<RmwResult>> callers = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            Random random = new Random(c);
            boolean batching = c % 4 == 0;
            callers.add(Multi.createFrom().range(0, UNITS_PER_CALLER / (batching ? 3 : 1))
                    .onItem().transformToUniAndConcatenate(i -> {
                        if (!batching) {
                            return send(randomUnit(random), unexpected);
                        }
                        List<RmwUnit> units = List.of(randomUnit(random), randomUnit(random), randomUnit(random));
                        return world.client().applyBatch(ApplyBatchRequest.newBuilder().addAllUnits(units).build())
                                .invoke(r -> r.getResultsList().stream().filter(u -> !acceptable(u)).forEach(u ->
                                        unexpected.put(u.getRequestId(), new AssertionError(u.getMessage()))))
                                .onFailure().invoke(e -> unexpected.put("batch", e))
                                .onFailure().recoverWithNull()
                                .onItem().ifNotNull().transformToMulti(r -> Multi.createFrom().iterable(r.getResultsList()))
                                .collect().last();
                    }));
        }
        Multi.createBy().merging().streams(callers).collect().asList().await().atMost(Duration.ofMinutes(3));
        assertThat(unexpected).as("no failure but refused trades reached a caller").isEmpty();

        // What applied is read back from the store: every hit is one DAMAGE event in the npc's cell.
        long damageApplied = world.number(
                "SELECT COUNT(*) FROM change_log WHERE rule = 4 AND cell_id = (SELECT cell_id FROM entity WHERE id = ?)", npc);
        long harvested = world.number("SELECT COALESCE(SUM(amount), 0) FROM entity WHERE item_type = 'ore' AND kind = 4");

        assertThat(world.number("SELECT SUM(gold) FROM entity")).as("gold conserved").isEqualTo(PLAYERS * GOLD_EACH);
        assertThat(world.number("SELECT COUNT(*) FROM entity WHERE item_type = 'relic'")).as("items conserved")
                .isEqualTo((long) PLAYERS * ITEMS_EACH);
        assertThat(world.number("SELECT hp FROM entity WHERE id = ?", npc)).as("every applied hit counted once")
                .isEqualTo(1_000_000 - damageApplied);
        assertThat(world.number("SELECT amount FROM entity WHERE id = ?", node)).as("harvest moves, never creates")
                .isEqualTo(1_000_000 - harvested);
        assertThat(harvested).isPositive();
        assertThat(damageApplied).isPositive();
        assertThat(world.number("SELECT COUNT(*) FROM rmw_request")).as("every unit recorded once")
                .isEqualTo(world.number("SELECT COUNT(DISTINCT request_id) FROM change_log"));
        world.assertInvariants();
    }

    @Test
    void requestQueueShowsTheUnitsWaitingForACellAndDrainsToZero() {
        long p = players.get(0);
        List<Uni<RmwResult>> burst = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            burst.add(world.client().applyRmw(move(players.get(i % PLAYERS), 240 + i % 10, 100)));
        }
        CompletableFuture<List<RmwResult>> done = Uni.join().all(burst).andFailFast().subscribeAsCompletionStage();
        long deepest = 0;
        while (!done.isDone()) {
            deepest = Math.max(deepest, world.number("SELECT request_queue FROM cell WHERE id = 1"));
        }
        assertThat(done.join()).hasSize(200);
        assertThat(deepest).as("commits under a burst see several units queued for the cell").isGreaterThan(1);
        world.apply(move(p, 241, 100));
        assertThat(world.number("SELECT request_queue FROM cell WHERE id = 1")).as("a lone unit queues alone").isEqualTo(1);
    }

    RmwUnit randomUnit(Random random) {
        long p = players.get(random.nextInt(PLAYERS));
        long q = players.get(random.nextInt(PLAYERS));
        return switch (random.nextInt(5)) {
            // The cell border is at x = 256: half the moves cross it.
            case 0 -> move(p, 236 + random.nextInt(40), 90 + random.nextInt(20));
            case 1 -> damage(p, npc, 1);
            case 2 -> harvest(p, node, 1 + random.nextInt(3), 0);
            case 3 -> p == q ? damage(0, npc, 1) : trade(p, q, random.nextInt(300), random.nextInt(300), List.of(), List.of());
            default -> transfer(items.get(random.nextInt(items.size())), q);
        };
    }

    /** Applied, or a trade refused for want of gold. */
    static boolean acceptable(RmwResult r) {
        return r.getCode() == Status.Code.OK.value()
                || (r.getCode() == Status.Code.FAILED_PRECONDITION.value() && r.getRule() == Rule.RULE_TRADE);
    }

    Uni<RmwResult> send(RmwUnit unit, Map<String, Throwable> unexpected) {
        return world.client().applyRmw(unit).onFailure().recoverWithUni(e -> {
            if (e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.FAILED_PRECONDITION
                    && unit.hasTrade()) {
                return Uni.createFrom().item(RmwResult.newBuilder().setCode(Status.Code.FAILED_PRECONDITION.value()).build());
            }
            unexpected.put(unit.getRequestId(), e);
            return Uni.createFrom().nullItem();
        });
    }
}
