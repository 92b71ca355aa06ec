package io.gamestate.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.gamestate.proto.query.v1.WatchRequest;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.CellVersion;
import io.gamestate.proto.state.v1.ChangeEvent;
import io.gamestate.proto.query.v1.QueryServiceGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quarkus.grpc.GrpcClient;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Change streams: per-cell version order, exactly-once resume, cells created by splits, bad resumes. */
@QuarkusTest
class WatchRegionTest {

    static final Bounds SUPERBLOCK_0 = Bounds.newBuilder().setMaxX(256).setMaxY(256).build();

    @Inject
    TestWorld world;

    @Inject
    MeterRegistry registry;

    @GrpcClient("query")
    Channel channel;

    List<Long> quadrants;
    final List<Watcher> watchers = new ArrayList<>();

    /**
     * A client's stream on the plain grpc-java stub: cancelling it cancels the call on the wire
     * (cancelling a subscription of the Mutiny client stub only stops the local delivery).
     */
    final class Watcher implements ClientResponseObserver<WatchRequest, ChangeEvent> {
        final List<ChangeEvent> events = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile ClientCallStreamObserver<WatchRequest> call;

        Watcher(Map<Long, Long> resumeFrom) {
            WatchRequest.Builder request = WatchRequest.newBuilder().setRegion(SUPERBLOCK_0);
            resumeFrom.forEach((cell, version) -> request.addResumeFrom(CellVersion.newBuilder().setCellId(cell).setVersion(version)));
            watchers.add(this);
            QueryServiceGrpc.newStub(channel).watchRegion(request.build(), this);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchRequest> call) {
            this.call = call;
        }

        @Override
        public void onNext(ChangeEvent event) {
            events.add(event);
        }

        @Override
        public void onError(Throwable t) {
            failure.set(t);
        }

        @Override
        public void onCompleted() {
        }

        void cancel() {
            call.cancel("the client leaves", null);
        }

        List<ChangeEvent> awaitEvents(int count) {
            await(() -> events.size() >= count || failure.get() != null, "events: " + count + ", got " + events);
            assertThat(failure.get()).isNull();
            return List.copyOf(events);
        }

        StatusRuntimeException awaitFailure() {
            await(() -> failure.get() != null, "a failure");
            return (StatusRuntimeException) failure.get();
        }
    }

    @BeforeEach
    void seed() {
        world.reset();
        quadrants = world.split(1);
    }

    @AfterEach
    void cancelWatchers() {
        watchers.forEach(Watcher::cancel);
    }

    @Test
    void resumedStreamsDeliverEveryLaterEventExactlyOnce() {
        long a = quadrants.get(0);
        long b = quadrants.get(1);
        long c = quadrants.get(2);
        long d = quadrants.get(3);
        world.commitChanges(a, 3);
        world.commitChanges(b, 2);
        Watcher first = new Watcher(Map.of(a, 0L, b, 0L, c, 0L, 1L, 0L));
        first.awaitEvents(5);
        world.commitChanges(a, 2);
        world.commitChanges(c, 1);
        List<ChangeEvent> seenFirst = first.awaitEvents(8);
        first.cancel();
        assertThat(keys(seenFirst)).containsExactlyInAnyOrder(key(a, 1), key(a, 2), key(a, 3), key(a, 4), key(a, 5),
                key(b, 1), key(b, 2), key(c, 1));
        assertPerCellOrder(seenFirst);

        // Changes while the client is away, on leaves and on the (non-leaf) root.
        world.commitChanges(a, 1);
        world.commitChanges(b, 1);
        world.commitChanges(c, 2);
        world.commitChanges(1L, 1);
        Map<Long, Long> seen = new HashMap<>(Map.of(1L, 0L));
        seenFirst.forEach(e -> seen.merge(e.getCellId(), e.getCellVersion(), Math::max));
        Watcher resumed = new Watcher(seen);
        resumed.awaitEvents(5);
        world.commitChanges(d, 1); // left out of resume_from: streamed from its version at the (re)start, 0
        List<ChangeEvent> seenResumed = resumed.awaitEvents(6);
        sleepPolls();
        assertThat(keys(resumed.events)).containsExactlyInAnyOrder(key(a, 6), key(b, 3), key(c, 2), key(c, 3), key(1, 1),
                key(d, 1));
        assertPerCellOrder(seenResumed);
    }

    @Test
    void cellsLeftOutStartAtTheirCurrentVersion() {
        long a = quadrants.get(0);
        long b = quadrants.get(1);
        world.commitChanges(b, 3);
        Watcher watcher = new Watcher(Map.of(a, 0L));
        world.commitChanges(a, 1);
        watcher.awaitEvents(1); // the stream is running: b's cursor is set
        world.commitChanges(b, 1);
        watcher.awaitEvents(2);
        sleepPolls();
        assertThat(keys(watcher.events)).containsExactly(key(a, 1), key(b, 4));
    }

    @Test
    void cellsCreatedBySplitsJoinTheStream() {
        long a = quadrants.get(0);
        Watcher watcher = new Watcher(Map.of(a, 0L));
        world.commitChanges(a, 1);
        watcher.awaitEvents(1);
        List<Long> grandchildren = world.split(quadrants.get(3));
        world.commitChanges(grandchildren.get(2), 2);
        long outside = world.split(2L).get(0); // superblock 1: not watched
        world.commitChanges(outside, 1);
        watcher.awaitEvents(3);
        sleepPolls();
        assertThat(keys(watcher.events)).containsExactly(key(a, 1), key(grandchildren.get(2), 1), key(grandchildren.get(2), 2));
    }

    @Test
    void resumeVersionsFromTheFutureOrOutsideTheRegionAreRefused() {
        world.commitChanges(quadrants.get(0), 2);
        StatusRuntimeException future = new Watcher(Map.of(quadrants.get(0), 3L)).awaitFailure();
        assertThat(future.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
        assertThat(future.getStatus().getDescription()).contains("cell " + quadrants.get(0)).contains("version 2");

        StatusRuntimeException outside = new Watcher(Map.of(18L, 0L)).awaitFailure();
        assertThat(outside.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(outside.getStatus().getDescription()).contains("resume_from: cell 18 is not a cell of the region");
    }

    @Test
    void cancellingEndsTheWatch() {
        Watcher watcher = new Watcher(Map.of(quadrants.get(0), 0L));
        world.commitChanges(quadrants.get(0), 1);
        watcher.awaitEvents(1);
        await(() -> watches() == 1.0, "one watch running");
        watcher.cancel();
        await(() -> watches() == 0.0, "the watch to end");
    }

    private double watches() {
        return registry.get("gamestate.query.watches").gauge().value();
    }

    private static void assertPerCellOrder(List<ChangeEvent> events) {
        Map<Long, Long> last = new HashMap<>();
        for (ChangeEvent e : events) {
            Long before = last.put(e.getCellId(), e.getCellVersion());
            if (before != null) {
                assertThat(e.getCellVersion()).as("cell %d", e.getCellId()).isEqualTo(before + 1);
            }
        }
    }

    private static List<String> keys(List<ChangeEvent> events) {
        return events.stream().map(e -> key(e.getCellId(), e.getCellVersion())).toList();
    }

    private static String key(long cell, long version) {
        return cell + "@" + version;
    }

    /** Long enough for several polls: anything extra (a duplicate) would have arrived. */
    private static void sleepPolls() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TestWorld.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + " (watches running: " + watches() + ")");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
