package io.gamestate.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import io.gamestate.common.testing.OwnLogStore;
import io.gamestate.proto.query.v1.QueryServiceGrpc;
import io.gamestate.proto.query.v1.WatchRequest;
import io.gamestate.proto.state.v1.CellVersion;
import io.gamestate.proto.state.v1.ChangeEvent;
import io.gamestate.proto.state.v1.Position;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A watch across a crash of the store (SIGKILL of a server of the test's own, mid-write, then a
 * restart on its data): the stream, resumed by its client from the versions it holds when the
 * service ends it, delivers every committed change exactly once per cell in version order. While
 * the store is down every call answers UNAVAILABLE, never INTERNAL. Watch-source poll here,
 * log in {@link WatchFromLogAcrossStoreCrashTest}.
 */
@QuarkusTest
@TestProfile(WatchAcrossStoreCrashTest.Poll.class)
class WatchAcrossStoreCrashTest {

    static final Duration RECOVERY = Duration.ofSeconds(90);

    public static class Poll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gamestate.query.watch-source", "poll");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnLogStore.class, Map.of(OwnLogStore.DATABASE_ARG, "gamestate_query_test")));
        }
    }

    @Inject
    TestWorld world;

    @GrpcClient("query")
    Channel channel;

    @Test
    void theStreamResumesWithoutAGapOrADuplicateAfterTheStoreIsKilled() {
        world.reset();
        List<Long> quadrants = world.split(1);
        Writer writer = new Writer(quadrants);
        List<Long> cells = new ArrayList<>(quadrants);
        cells.add(1L);
        try (ResumingWatcher watcher = new ResumingWatcher(cells)) {
            writer.start();
            await(() -> watcher.received() >= 40, "40 events before the crash");

            OwnLogStore.kill();
            StatusRuntimeException down = catchThrowableOfType(StatusRuntimeException.class,
                    () -> QueryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .leafAt(Position.newBuilder().setX(1).setY(1).build()));
            assertThat(down.getStatus().getCode()).as("%s", down.getStatus()).isEqualTo(Status.Code.UNAVAILABLE);
            sleep(1_000);
            OwnLogStore.restart();

            int committedAtRestart = writer.committed();
            await(() -> writer.committed() >= committedAtRestart + 40, "40 commits after the restart");
            writer.stop();
            Map<Long, Long> logged = world.loggedVersions(0);
            await(() -> logged.entrySet().stream().allMatch(e -> watcher.lastVersion(e.getKey()) >= e.getValue()),
                    "every logged version on the watch: " + logged + ", watched " + watcher.lastVersions());
            sleep(300); // several polls: a duplicate would arrive

            assertThat(watcher.failures()).as("the statuses that ended a stream").allSatisfy(
                    s -> assertThat(s.getCode()).as("%s", s).isEqualTo(Status.Code.UNAVAILABLE));
            logged.forEach((cell, last) -> assertThat(watcher.versions(cell)).as("cell %d", cell)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList()));
            assertThat(watcher.lastVersions().keySet()).isSubsetOf(logged.keySet());
        } finally {
            writer.stop();
        }
    }

    /** Commits one change at a time to each cell in turn; during the outage its commits fail. */
    final class Writer {
        private final List<Long> cells;
        private final AtomicInteger committed = new AtomicInteger();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final Thread thread;

        Writer(List<Long> cells) {
            this.cells = cells;
            this.thread = new Thread(this::run, "crash-test-writer");
        }

        void start() {
            thread.start();
        }

        int committed() {
            return committed.get();
        }

        void stop() {
            stopping.set(true);
            try {
                thread.join(TestWorld.WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            for (int i = 0; !stopping.get(); i++) {
                try {
                    world.commitChanges(cells.get(i % cells.size()), 1);
                    committed.incrementAndGet();
                    sleep(5);
                } catch (RuntimeException storeDown) {
                    sleep(100);
                }
            }
        }
    }

    /**
     * A client that keeps watching: when the service ends its stream, it watches again from the
     * versions it has, naming every cell (a cell left out would restart at its current version).
     */
    final class ResumingWatcher implements AutoCloseable {
        private final Map<Long, List<Long>> versions = new ConcurrentHashMap<>();
        private final List<Status> failures = new CopyOnWriteArrayList<>();
        private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        private volatile ClientCallStreamObserver<WatchRequest> call;
        private volatile boolean closed;

        ResumingWatcher(List<Long> cells) {
            cells.forEach(cell -> versions.put(cell, new CopyOnWriteArrayList<>()));
            watch();
        }

        private void watch() {
            WatchRequest.Builder request = WatchRequest.newBuilder().setRegion(WatchRegionTest.SUPERBLOCK_0);
            versions.keySet().forEach(cell -> request.addResumeFrom(CellVersion.newBuilder().setCellId(cell).setVersion(lastVersion(cell))));
            QueryServiceGrpc.newStub(channel).watchRegion(request.build(), new ClientResponseObserver<WatchRequest, ChangeEvent>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<WatchRequest> started) {
                    call = started;
                }

                @Override
                public void onNext(ChangeEvent event) {
                    versions.get(event.getCellId()).add(event.getCellVersion());
                }

                @Override
                public void onError(Throwable t) {
                    if (!closed) {
                        failures.add(Status.fromThrowable(t));
                        retries.schedule(ResumingWatcher.this::watch, 200, TimeUnit.MILLISECONDS);
                    }
                }

                @Override
                public void onCompleted() {
                    failures.add(Status.INTERNAL.withDescription("the service ended a watch without an error"));
                }
            });
        }

        long lastVersion(long cell) {
            List<Long> seen = versions.get(cell);
            return seen.isEmpty() ? 0 : seen.get(seen.size() - 1);
        }

        Map<Long, Long> lastVersions() {
            Map<Long, Long> out = new HashMap<>();
            versions.forEach((cell, seen) -> {
                if (!seen.isEmpty()) {
                    out.put(cell, lastVersion(cell));
                }
            });
            return out;
        }

        List<Long> versions(long cell) {
            return List.copyOf(versions.get(cell));
        }

        int received() {
            return versions.values().stream().mapToInt(List::size).sum();
        }

        List<Status> failures() {
            return List.copyOf(failures);
        }

        @Override
        public void close() {
            closed = true;
            retries.shutdownNow();
            call.cancel("the test ends", null);
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
