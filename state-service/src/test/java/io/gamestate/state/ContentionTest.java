package io.gamestate.state;

import static io.gamestate.state.TestWorld.damage;
import static io.gamestate.state.TestWorld.harvest;
import static io.gamestate.state.TestWorld.heal;
import static io.gamestate.state.TestWorld.move;
import static io.gamestate.state.TestWorld.trade;
import static io.gamestate.state.TestWorld.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.ConcurrentHistogram;
import org.junit.jupiter.api.Test;

/**
 * 64 units in flight at once on shared hierarchies: items moved between bags (also into their own
 * subtrees), traded with gold, harvests stacked into bags, hits and heals, moves; about one unit in
 * ten sent again with the same request id, at the same moment, later, or twice in one batch.
 * No caller sees ABORTED or INTERNAL, every copy of a committed request id answers the stored
 * result, and gold, items and resources are conserved with counters equal to a recount.
 */
@QuarkusTest
class ContentionTest extends WorldTest {

    static final int IN_FLIGHT = 64;
    static final int UNITS_PER_CALLER = 24;
    static final int PLAYERS = 12;
    static final long GOLD_EACH = 1_000;
    static final long NODE_AMOUNT = 1_000_000;
    static final List<String> RESOURCES = List.of("ore", "wood", "stone");

    final List<Long> players = new ArrayList<>();
    final List<Long> holders = new ArrayList<>();
    final List<Long> movable = new ArrayList<>();
    final List<Long> nodes = new ArrayList<>();
    final Map<Long, Long> firstBag = new ConcurrentHashMap<>();
    long npc;
    int relics;

    /** Every answer each request id got, in the order they arrived. */
    final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
    final List<RmwUnit> sent = Collections.synchronizedList(new ArrayList<>());
    final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3);

    @Inject
    MeterRegistry metrics;

    record Answer(Status.Code code, RmwResult result, long sentAt, long answeredAt) {
    }

    void createWorld() {
        for (int i = 0; i < PLAYERS; i++) {
            long p = world.player(100 + 3 * i, 100 + i % 3, GOLD_EACH);
            long bag = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
            long pouch = world.held(EntityKind.ENTITY_KIND_CONTAINER, bag, "", 0);
            players.add(p);
            firstBag.put(p, bag);
            holders.addAll(List.of(p, bag, pouch));
            movable.addAll(List.of(bag, pouch));
            for (long holder : List.of(p, bag, pouch)) {
                movable.add(world.held(EntityKind.ENTITY_KIND_ITEM, holder, "relic", 1));
                relics++;
            }
        }
        RESOURCES.forEach(r -> nodes.add(world.node(110 + nodes.size(), 104, r, NODE_AMOUNT)));
        npc = world.npc(120, 100, 1_000_000);
    }

    @Test
    void sixtyFourInFlightOnSharedHierarchiesLoseNothingAndNeverAbort() {
        createWorld();
        List<Multi<Void>> callers = new ArrayList<>();
        for (int c = 0; c < IN_FLIGHT; c++) {
            Random random = new Random(c);
            callers.add(Multi.createFrom().range(0, UNITS_PER_CALLER)
                    .onItem().transformToUniAndConcatenate(i -> nextCall(random)));
        }
        long start = System.nanoTime();
        Multi.createBy().merging().withConcurrency(IN_FLIGHT).streams(callers).collect().asList()
                .await().atMost(Duration.ofMinutes(5));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        Map<Status.Code, Long> codes = answers.values().stream().flatMap(List::stream)
                .collect(Collectors.groupingBy(Answer::code, Collectors.counting()));
        long applied = world.number("SELECT COUNT(*) FROM rmw_request");
        System.out.printf("contention (%s): %d calls in %d ms, %d units applied, codes %s, latency per call p50 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms%n", world.family(), latencyMicros.getTotalCount(), elapsedMs,
                applied, codes, latencyMicros.getValueAtPercentile(50) / 1000.0,
                latencyMicros.getValueAtPercentile(99) / 1000.0, latencyMicros.getMaxValue() / 1000.0);

        System.out.printf("contention (%s): retried transactions by reason %s, units replanned under their locks %.0f%n",
                world.family(), metrics.find("gamestate.rmw.retries").counters().stream().collect(Collectors.toMap(
                        c -> c.getId().getTag("reason"), c -> (long) c.count(), Long::sum)),
                metrics.counter("gamestate.rmw.replanned").count());
        assertThat(codes.keySet()).as("answers are applied or refused by a game rule, never ABORTED or INTERNAL")
                .containsOnly(Status.Code.OK, Status.Code.FAILED_PRECONDITION);
        answers.forEach(this::assertCopiesAgree);

        assertThat(world.number("SELECT SUM(gold) FROM entity")).as("gold conserved").isEqualTo(PLAYERS * GOLD_EACH);
        assertThat(world.number("SELECT COUNT(*) FROM entity WHERE item_type = 'relic'")).as("items conserved")
                .isEqualTo(relics);
        for (int n = 0; n < nodes.size(); n++) {
            assertThat(world.number("SELECT SUM(amount) FROM entity WHERE item_type = ?", RESOURCES.get(n)))
                    .as("harvests move " + RESOURCES.get(n) + ", never create it").isEqualTo(NODE_AMOUNT);
        }
        assertThat(world.number("SELECT COUNT(*) FROM rmw_request")).as("every applied unit recorded once")
                .isEqualTo(world.number("SELECT COUNT(DISTINCT request_id) FROM change_log"));
        assertThat(codes.get(Status.Code.OK)).as("most units apply").isGreaterThan(latencyMicros.getTotalCount() / 2);
    }

    /**
     * One request id's answers: at most one first application; every OK equals the stored result;
     * once an OK was answered, every later copy answers it again as a replay.
     */
    private void assertCopiesAgree(String requestId, List<Answer> copies) {
        List<Answer> ok = copies.stream().filter(a -> a.code() == Status.Code.OK).toList();
        assertThat(ok.stream().filter(a -> !a.result().getReplayed()).count()).as("applications of " + requestId)
                .isLessThanOrEqualTo(1);
        if (ok.isEmpty()) {
            assertThat(world.number("SELECT COUNT(*) FROM rmw_request WHERE request_id = ?", requestId)).isZero();
            return;
        }
        List<RmwResult> stored = ok.stream().map(a -> a.result().toBuilder().setReplayed(false).build()).distinct().toList();
        assertThat(stored).as("every OK copy of " + requestId + " answers the same result").hasSize(1);
        long firstOk = ok.stream().mapToLong(Answer::answeredAt).min().orElseThrow();
        assertThat(copies).filteredOn(a -> a.sentAt() > firstOk)
                .as("copies of " + requestId + " sent after its OK").allMatch(a -> a.code() == Status.Code.OK);
        assertThat(copies).filteredOn(a -> a.sentAt() <= firstOk && a.answeredAt() >= firstOk)
                .as("copies of " + requestId + " in flight together with the one that applied")
                .allMatch(a -> a.code() == Status.Code.OK);
    }

    /** A call of one caller: a unit, a unit and its twin at the same moment, a re-send, or a batch. */
    private Uni<Void> nextCall(Random random) {
        int kind = random.nextInt(20);
        if (kind == 0 && !sent.isEmpty()) {
            return single(sent.get(random.nextInt(sent.size())));
        }
        if (kind == 1) {
            RmwUnit unit = randomUnit(random);
            return Uni.join().all(single(unit), single(unit)).andFailFast().replaceWithVoid();
        }
        if (kind < 6) {
            RmwUnit twice = randomUnit(random);
            return batch(List.of(randomUnit(random), twice, randomUnit(random), twice));
        }
        return single(randomUnit(random));
    }

    private Uni<Void> single(RmwUnit unit) {
        sent.add(unit);
        long start = System.nanoTime();
        return world.client().applyRmw(unit)
                .map(result -> new Answer(Status.Code.OK, result, start, System.nanoTime()))
                .onFailure(StatusRuntimeException.class).recoverWithItem(e ->
                        new Answer(((StatusRuntimeException) e).getStatus().getCode(), null, start, System.nanoTime()))
                .invoke(answer -> record(unit.getRequestId(), answer, start))
                .replaceWithVoid();
    }

    private Uni<Void> batch(List<RmwUnit> units) {
        sent.addAll(units);
        long start = System.nanoTime();
        return world.client().applyBatch(ApplyBatchRequest.newBuilder().addAllUnits(units).build())
                .invoke(response -> {
                    long end = System.nanoTime();
                    for (RmwResult r : response.getResultsList()) {
                        Status.Code code = Status.fromCodeValue(r.getCode()).getCode();
                        record(r.getRequestId(), new Answer(code, code == Status.Code.OK ? r : null, start, end), start);
                    }
                })
                .replaceWithVoid();
    }

    private void record(String requestId, Answer answer, long start) {
        latencyMicros.recordValue(TimeUnit.NANOSECONDS.toMicros(answer.answeredAt() - start));
        answers.computeIfAbsent(requestId, id -> Collections.synchronizedList(new ArrayList<>())).add(answer);
    }

    RmwUnit randomUnit(Random random) {
        long p = players.get(random.nextInt(PLAYERS));
        long q = players.get(random.nextInt(PLAYERS));
        long item = movable.get(random.nextInt(movable.size()));
        return switch (random.nextInt(8)) {
            case 0 -> move(p, 95 + random.nextInt(50), 95 + random.nextInt(20));
            case 1 -> random.nextBoolean() ? damage(p, npc, 1) : heal(p, 1);
            case 2 -> harvest(p, nodes.get(random.nextInt(nodes.size())), 1 + random.nextInt(3),
                    random.nextBoolean() ? firstBag.get(p) : 0);
            case 3, 4 -> p == q ? transfer(item, firstBag.get(p))
                    : trade(p, q, random.nextInt(200), random.nextInt(200), List.of(item), List.of());
            default -> {
                long to = holders.get(random.nextInt(holders.size()));
                yield transfer(item, to == item ? p : to);
            }
        };
    }
}
