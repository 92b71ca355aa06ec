package io.gamestate.devstack.scorecard;

import io.gamestate.cdc.BusConsumer;
import io.gamestate.cdc.CaptureSettings;
import io.gamestate.cdc.ChangeCapture;
import io.gamestate.cdc.JetStreamRelay;
import io.gamestate.devstack.GameWorld;
import io.gamestate.devstack.cdc.ChangeStreamLag;
import io.gamestate.devstack.transfers.BareStore;
import io.grpc.Channel;
import io.nats.client.Nats;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Change data capture under the game mix (single calls): first with no capture, the
 * commit-to-consumer lag of query-service's change streams as the suite runs them
 * (watch-source poll or log); then with the store's log captured (a durable slot or binlog
 * reader) and relayed to NATS JetStream, the lag from commit to a durable bus consumer and what
 * the capture costs the RMW throughput. The bus consumer checks what it got: no gap and no
 * reordering per cell, every cell it saw at the store's last version.
 */
public final class ChangeDataCapture implements Scenario {

    static final String NATS = "nats://" + System.getenv().getOrDefault("NATS_HOST", "127.0.0.1") + ":4222";
    static final Duration CONNECT_WAIT = Duration.ofSeconds(10);

    private final Channel query;
    private final GameMix gameMix;

    public ChangeDataCapture(Channel query, GameMix gameMix) {
        this.query = query;
        this.gameMix = gameMix;
    }

    @Override
    public String name() {
        return "cdc";
    }

    @Override
    public String title() {
        return "Change data capture: commit-to-consumer lag (change streams, log capture over NATS JetStream), RMW throughput with capture off and on";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("watches", "4 WatchRegion streams, 96 x 96 around each town");
        p.put("bus", NATS + ", one subject per superblock, a durable pull consumer");
        return p;
    }

    @Override
    public Outcome run(ScenarioContext context) throws Exception {
        gameMix.world();
        List<ScenarioReport.Result> results = new ArrayList<>();
        Map<String, Double> findings = new LinkedHashMap<>();
        List<ScenarioReport.Check> checks = new ArrayList<>();

        WindowRecorder off;
        // Lag counts events committed in the measured window, as the RMW figures count calls started in it.
        try (ChangeStreamLag watches = new ChangeStreamLag(query, GameWorld.towns(), 96, windowStartMs(context))) {
            off = gameMix.window(context, false);
            findings.put("watchLagP50Ms", (double) watches.lagMs().getValueAtPercentile(50));
            findings.put("watchLagP99Ms", (double) watches.lagMs().getValueAtPercentile(99));
            findings.put("watchEvents", (double) watches.lagMs().getTotalCount());
        }
        String source = ChangeStreamLag.watchSource().orElse("unknown");
        results.add(context.result("capture-off", Map.of("watch-source", source), "RMW-units", off));

        BareStore store = context.store();
        CaptureSettings.Log log = store.family() == BareStore.Family.POSTGRESQL ? CaptureSettings.Log.LOGICAL_DECODING
                : CaptureSettings.Log.BINLOG;
        String name = "gamestate_scorecard_cdc_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        ChangeCapture capture = ChangeCapture.of(new CaptureSettings(log, store.host(), store.port(), store.database(),
                store.user(), "", name, true, Optional.of(context.directory().resolve("cdc-offsets"))));
        try (io.nats.client.Connection nats = Nats.connect(NATS)) {
            capture.start(new JetStreamRelay(nats, name, name));
            long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
            while (!capture.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (!capture.isConnected()) {
                // No log to read here (e.g. a MariaDB without a row binlog): the row says so, nothing fails.
                System.out.println("    log capture not available on this store: " + capture.lastFailure());
                capture.close();
                nats.jetStreamManagement().deleteStream(name);
                findings.put("logCaptureAvailable", 0.0);
                return new Outcome(results, findings, checks);
            }
            findings.put("logCaptureAvailable", 1.0);
            try (BusReader reader = new BusReader(nats, name, windowStartMs(context))) {
                WindowRecorder on = gameMix.window(context, false);
                results.add(context.result("capture-on", Map.of("watch-source", source), "RMW-units", on));
                findings.put("busLagP50Ms", (double) reader.lagMs.getValueAtPercentile(50));
                findings.put("busLagP99Ms", (double) reader.lagMs.getValueAtPercentile(99));
                findings.put("busEvents", (double) reader.lagMs.getTotalCount());
                findings.put("captureOnToOffThroughput", (on.operations() / on.seconds()) / (off.operations() / off.seconds()));
                checks.add(reader.check(store));
                findings.put("slotOrBinlogLagBytesAtEnd", (double) capture.lagBytes());
            } finally {
                capture.close();
                capture.drop();
                nats.jetStreamManagement().deleteStream(name);
            }
        }
        return new Outcome(results, findings, checks);
    }

    /** When the window of a game mix started now begins: after its warm-up. */
    private static long windowStartMs(ScenarioContext context) {
        return System.currentTimeMillis() + context.warmup().toMillis();
    }

    /**
     * The durable bus consumer: lag on arrival (of events committed from {@code countFromMs} on),
     * each cell's last version, gaps and reorderings.
     */
    static final class BusReader implements AutoCloseable {
        final Histogram lagMs = new ConcurrentHistogram(3);
        final Map<Long, Long> last = new HashMap<>();
        final List<String> violations = new ArrayList<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final BusConsumer consumer;
        final Thread thread;

        BusReader(io.nats.client.Connection nats, String name, long countFromMs) throws Exception {
            consumer = new BusConsumer(nats, name, name, "scorecard", List.of());
            thread = new Thread(() -> {
                while (running.get()) {
                    // A short wait: a pull returns when its batch is full or the wait is over, and the wait is lag.
                    for (BusConsumer.BusChange c : consumer.fetch(500, Duration.ofMillis(10))) {
                        if (c.committedAtMs() >= countFromMs) {
                            lagMs.recordValue(Math.max(0, System.currentTimeMillis() - c.committedAtMs()));
                        }
                        synchronized (last) {
                            Long before = last.put(c.cellId(), c.cellVersion());
                            if (before != null && c.cellVersion() != before + 1 && violations.size() < 10) {
                                violations.add("cell " + c.cellId() + ": " + before + " then " + c.cellVersion());
                            }
                        }
                    }
                    consumer.acknowledge();
                }
            }, "cdc-bus-reader");
            thread.start();
        }

        /** After the load: every cell the bus named reaches the store's last version, with no gap or reordering on the way. */
        ScenarioReport.Check check(BareStore store) throws Exception {
            Map<Long, Long> committed = new HashMap<>();
            try (Connection c = DriverManager.getConnection(store.url(), store.user(), "");
                 Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT cell_id, MAX(cell_version) FROM change_log GROUP BY cell_id")) {
                while (r.next()) {
                    committed.put(r.getLong(1), r.getLong(2));
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<Long> behind;
            do {
                synchronized (last) {
                    behind = last.entrySet().stream().filter(e -> !e.getValue().equals(committed.get(e.getKey())))
                            .map(Map.Entry::getKey).toList();
                }
                Thread.sleep(50);
            } while (!behind.isEmpty() && System.nanoTime() < deadline);
            synchronized (last) {
                boolean holds = violations.isEmpty() && behind.isEmpty() && !last.isEmpty();
                return new ScenarioReport.Check("bus: each cell's changes once, in version order, up to the store's last",
                        holds, last.size() + " cells, " + lagMs.getTotalCount() + " events in the window"
                                + (violations.isEmpty() ? "" : "; gaps or repeats: " + violations)
                                + (behind.isEmpty() ? "" : "; cells behind the store: " + behind.size()));
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
            consumer.close();
        }
    }
}
