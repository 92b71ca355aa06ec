package io.gamestate.query.service;

import io.gamestate.query.spatial.Regions;
import io.gamestate.proto.query.v1.WatchRequest;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.CellVersion;
import io.gamestate.proto.state.v1.ChangeEvent;
import io.gamestate.query.config.QueryConfig;
import io.gamestate.query.repository.CellRepository;
import io.gamestate.query.repository.ChangeLogRepository;
import io.gamestate.common.world.WorldGeometry;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Change streams of a region. With watch-source poll they are read from the change log by
 * polling on Vert.x timers (no thread is held between polls). Each poll re-lists the region's
 * cells with their versions, so cells created by later splits join the stream, and reads the log
 * only for cells whose version moved past what the stream has sent. With watch-source log the
 * events come from the store's own log ({@link LogChangeFeed}); a stream polls once at its start,
 * then only when the feed shows something it cannot place: a cell it does not know yet (a split),
 * a version past the next one (missed while the feed reconnected).
 */
// @Startup: its gauge is in /q/metrics from the start, not from the first watch on.
@Startup
@ApplicationScoped
public class ChangeWatch {

    private final CellRepository cells;
    private final ChangeLogRepository changeLog;
    private final WorldGeometry geometry;
    private final Arguments args;
    private final Vertx vertx;
    private final QueryConfig.Query limits;
    private final LogChangeFeed feed;
    private final AtomicInteger activeWatches = new AtomicInteger();
    private final Timer lag;

    public ChangeWatch(CellRepository cells, ChangeLogRepository changeLog, WorldGeometry geometry, Arguments args,
            Vertx vertx, QueryConfig config, LogChangeFeed feed, MeterRegistry registry) {
        this.cells = cells;
        this.feed = feed;
        this.changeLog = changeLog;
        this.geometry = geometry;
        this.args = args;
        this.vertx = vertx;
        this.limits = config.query();
        registry.gauge("gamestate.query.watches", activeWatches);
        this.lag = Timer.builder("gamestate.query.watch.lag")
                .description("From an event's commit to its sending on a watch (the writer's clock: same host, or synced clocks)")
                .tag("source", limits.watchSource().name().toLowerCase())
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** The stream of a call; the client's cancellation ends it. */
    public Multi<ChangeEvent> watch(WatchRequest request) {
        Bounds region = args.box(request.hasRegion(), request.getRegion(), "region");
        if (region == null) {
            throw Statuses.invalid("region lies outside the world");
        }
        List<Integer> superblocks = Regions.superblocks(geometry, region);
        if (superblocks.size() > limits.maxRegionCells()) {
            throw tooManyCells();
        }
        Map<Long, Long> resume = resumeVersions(request.getResumeFromList());
        return cells.versionsIn(superblocks, region, limits.maxRegionCells() + 1)
                .map(current -> new Stream(superblocks, region, cursors(current, resume)))
                .onItem().transformToMulti(Stream::events);
    }

    private static Map<Long, Long> resumeVersions(List<CellVersion> resumeFrom) {
        Map<Long, Long> out = new HashMap<>();
        for (CellVersion cv : resumeFrom) {
            if (cv.getCellId() <= 0 || cv.getVersion() < 0) {
                throw Statuses.invalid("resume_from: cell_id must be positive and version >= 0, got cell "
                        + cv.getCellId() + " version " + cv.getVersion());
            }
            if (out.put(cv.getCellId(), cv.getVersion()) != null) {
                throw Statuses.invalid("resume_from names cell " + cv.getCellId() + " twice");
            }
        }
        return out;
    }

    /** Where the stream starts per cell: after the client's version, else after the current one. */
    private Map<Long, Long> cursors(Map<Long, Long> current, Map<Long, Long> resume) {
        if (current.size() > limits.maxRegionCells()) {
            throw tooManyCells();
        }
        resume.forEach((cellId, version) -> {
            Long now = current.get(cellId);
            if (now == null) {
                throw Statuses.invalid("resume_from: cell " + cellId + " is not a cell of the region");
            }
            if (version > now) {
                throw Statuses.outOfRange("resume_from: cell " + cellId + " is at version " + now
                        + ", version " + version + " has not been committed (or not reached this replica) yet");
            }
        });
        Map<Long, Long> cursors = new HashMap<>(current);
        cursors.putAll(resume);
        return cursors;
    }

    private RuntimeException tooManyCells() {
        return Statuses.invalid("region covers more than gamestate.query.max-region-cells ("
                + limits.maxRegionCells() + ") cells; watch a smaller region");
    }

    private static final Runnable NOT_SUBSCRIBED = () -> { };

    /** One client's stream: the last version sent per cell. Polls run one at a time. */
    private final class Stream implements LogChangeFeed.Listener {

        private final List<Integer> superblocks;
        private final Bounds region;
        private final Map<Long, Long> sent;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private boolean caughtUp = true;
        // watch-source log: what the feed delivered, whether the change log must be read first, the
        // cells of the watched superblocks found outside the region, the wake-up of a waiting stream.
        private final Queue<ChangeEvent> arrived = new ConcurrentLinkedQueue<>();
        private volatile boolean readLog = true;
        private final Set<Long> unplaced = new HashSet<>();
        private final Set<Long> outside = new HashSet<>();
        private final AtomicReference<Runnable> wake = new AtomicReference<>();
        private final Context context = vertx.getOrCreateContext();
        private Runnable unsubscribe = NOT_SUBSCRIBED;

        Stream(List<Integer> superblocks, Bounds region, Map<Long, Long> sent) {
            this.superblocks = superblocks;
            this.region = region;
            this.sent = sent;
        }

        Multi<ChangeEvent> events() {
            activeWatches.incrementAndGet();
            return Multi.createBy().repeating().uni(this::next).indefinitely()
                    .onItem().transformToIterable(batch -> batch)
                    .onTermination().invoke(this::stop);
        }

        @Override
        public void changes(List<ChangeEvent> events) {
            arrived.addAll(events);
            wakeUp();
        }

        @Override
        public void catchUp() {
            readLog = true;
            wakeUp();
        }

        private void wakeUp() {
            Runnable w = wake.getAndSet(null);
            if (w != null) {
                context.runOnContext(v -> w.run());
            }
        }

        /** The next batch of events. */
        private Uni<List<ChangeEvent>> next() {
            Uni<List<ChangeEvent>> batch = feed.enabled() ? fromFeed() : pause().chain(this::poll);
            return batch.invoke(events -> {
                long now = System.currentTimeMillis();
                events.forEach(e -> lag.record(Math.max(0, now - e.getCommittedAtMs()), TimeUnit.MILLISECONDS));
            });
        }

        private void stop() {
            if (stopped.compareAndSet(false, true)) {
                unsubscribe.run();
                activeWatches.decrementAndGet();
            }
        }

        /**
         * The next events from the feed; the change log is read at the start (the feed is subscribed
         * before, so nothing committed in between is missed), after a page cut a read short, and
         * whenever the feed shows something only the change log can place.
         */
        private Uni<List<ChangeEvent>> fromFeed() {
            if (readLog || !caughtUp) {
                if (readLog && unsubscribe == NOT_SUBSCRIBED) {
                    unsubscribe = feed.subscribe(superblocks, this);
                }
                readLog = false;
                return poll().invoke(() -> {
                    outside.addAll(unplaced);
                    outside.removeAll(sent.keySet());
                    unplaced.clear();
                });
            }
            return arrival().map(v -> drain());
        }

        private Uni<Void> arrival() {
            return Uni.createFrom().emitter(e -> {
                Runnable waker = () -> e.complete(null);
                wake.set(waker);
                // Only this arrival's own waker: the next arrival may be set up already when this one ends.
                e.onTermination(() -> wake.compareAndSet(waker, null));
                if (readLog || !arrived.isEmpty()) {
                    e.complete(null);
                }
            });
        }

        private List<ChangeEvent> drain() {
            List<ChangeEvent> out = new ArrayList<>();
            for (ChangeEvent e; (e = arrived.poll()) != null; ) {
                Long last = sent.get(e.getCellId());
                if (last == null) {
                    // A cell created after the last listing, in the region or not: the listing says.
                    if (!outside.contains(e.getCellId())) {
                        unplaced.add(e.getCellId());
                        readLog = true;
                    }
                } else if (e.getCellVersion() == last + 1) {
                    sent.put(e.getCellId(), e.getCellVersion());
                    out.add(e);
                } else if (e.getCellVersion() > last + 1) {
                    readLog = true; // missed while the feed was away: the change log has it
                }
                // At or below the last version sent: a poll read it already.
            }
            return out;
        }

        /** Waits one poll interval, unless the last poll was cut by the page size. */
        private Uni<Void> pause() {
            if (!caughtUp) {
                return Uni.createFrom().voidItem();
            }
            return Uni.createFrom().emitter(e -> {
                long timer = vertx.setTimer(limits.watchPoll().toMillis(), id -> e.complete(null));
                e.onTermination(() -> vertx.cancelTimer(timer));
            });
        }

        private Uni<List<ChangeEvent>> poll() {
            return cells.versionsIn(superblocks, region, limits.maxRegionCells() + 1).chain(current -> {
                if (current.size() > limits.maxRegionCells()) {
                    throw tooManyCells();
                }
                Map<Long, Long> behind = new LinkedHashMap<>();
                current.forEach((cellId, version) -> {
                    // A cell first seen now was created after the stream started: all of its log is news.
                    long cursor = sent.computeIfAbsent(cellId, created -> 0L);
                    if (version > cursor) {
                        behind.put(cellId, cursor);
                    }
                });
                if (behind.isEmpty()) {
                    caughtUp = true;
                    return Uni.createFrom().item(List.<ChangeEvent>of());
                }
                return changeLog.after(behind, limits.watchPageSize()).map(batch -> {
                    caughtUp = batch.size() < limits.watchPageSize();
                    return advance(batch);
                });
            });
        }

        /** Keeps each cell's events that continue its sequence exactly; the rest is read again next poll. */
        private List<ChangeEvent> advance(List<ChangeEvent> batch) {
            List<ChangeEvent> out = new ArrayList<>(batch.size());
            Set<Long> stalled = new HashSet<>();
            for (ChangeEvent event : batch) {
                long cellId = event.getCellId();
                if (!stalled.contains(cellId) && event.getCellVersion() == sent.get(cellId) + 1) {
                    sent.put(cellId, event.getCellVersion());
                    out.add(event);
                } else {
                    stalled.add(cellId);
                }
            }
            return out;
        }
    }
}
