package io.gamestate.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a log capture promises, on a store of the test's own under concurrent writers: every
 * committed change_log row reaches the consumer, and, with the consumer keeping each cell's last
 * version, exactly once per cell in version order, across a consumer restart and across a
 * SIGKILL of the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LogCaptureContract {

    static final int WRITERS = 3;
    static final int CELLS_PER_WRITER = 4;
    static final int SUPERBLOCKS = 4;
    /** The machine's (and CI's) NATS server with JetStream. */
    static final String NATS = "nats://127.0.0.1:4222";

    CaptureStore store;
    Path offsets;

    abstract CaptureStore startStore();

    @BeforeAll
    void startServer() throws Exception {
        store = startStore();
        offsets = Files.createTempDirectory("cdc-offsets-");
    }

    @AfterAll
    void stopServer() throws IOException {
        store.close();
        Files.delete(offsets); // empty: every test drops its consumer
    }

    @BeforeEach
    void emptyTheLog() throws SQLException {
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM change_log");
        }
    }

    @Test
    void everyChangeArrivesExactlyOncePerCellInOrderAcrossAConsumerRestart() throws Exception {
        CaptureSettings settings = store.settings("restart_" + store.log().name().toLowerCase(), offsets);
        Ledger ledger = new Ledger();
        ChangeCapture first = ChangeCapture.of(settings);
        first.start(ledger);
        awaitConnected(first);
        try (Writers writers = new Writers()) {
            sleep(700);
            first.close(); // the consumer goes away; its offset stays
            sleep(500);
            ChangeCapture idle = ChangeCapture.of(settings);
            assertThat(idle.lagBytes()).as("log kept for the absent consumer").isPositive();
            ChangeCapture second = ChangeCapture.of(settings);
            second.start(ledger);
            sleep(700);
            writers.stop();
            ledger.awaitEverything();
            assertThat(second.lagBytes()).isNotNegative();
            second.close();
            second.drop();
        }
        ledger.assertExactlyOncePerCellInOrder();
        assertThat(ledger.duplicates.get()).as("repeats are possible, dropped by version").isNotNegative();
    }

    @Test
    void theStreamResumesWithoutAGapAfterTheStoreIsKilled() throws Exception {
        CaptureSettings settings = store.settings("crash_" + store.log().name().toLowerCase(), offsets);
        Ledger ledger = new Ledger();
        ChangeCapture capture = ChangeCapture.of(settings);
        capture.start(ledger);
        awaitConnected(capture);
        try (Writers writers = new Writers()) {
            sleep(700);
            store.crash();
            sleep(1000);
            writers.stop();
            ledger.awaitEverything();
            assertThat(writers.failures.get()).as("writes that failed while the store was down").isPositive();
        }
        capture.close();
        capture.drop();
        ledger.assertExactlyOncePerCellInOrder();
    }

    @Test
    void theBusCarriesEveryChangeOncePerCellInOrderAcrossRestartsAndAStoreCrash() throws Exception {
        String name = "gamestate_cdc_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        CaptureSettings settings = store.settings("bus_" + store.log().name().toLowerCase(), offsets);
        Ledger ledger = new Ledger();
        try (io.nats.client.Connection nats = Nats.connect(NATS)) {
            JetStreamRelay relay = new JetStreamRelay(nats, name, name);
            ChangeCapture capture = ChangeCapture.of(settings);
            capture.start(relay);
            awaitConnected(capture);
            BusReader reader = new BusReader(nats, name, ledger);
            try (Writers writers = new Writers()) {
                sleep(600);
                reader.close(); // the consumer restarts: it resumes after what it acknowledged
                reader = new BusReader(nats, name, ledger);
                sleep(400);
                capture.close(); // so does the relay: its offset is where the bus acknowledged
                capture = ChangeCapture.of(settings);
                capture.start(relay);
                sleep(400);
                store.crash();
                sleep(800);
                writers.stop();
                ledger.awaitEverything();
            } finally {
                reader.close();
                capture.close();
                capture.drop();
                nats.jetStreamManagement().deleteStream(name);
            }
        }
        ledger.assertExactlyOncePerCellInOrder();
    }

    /** A durable bus consumer on a thread, applying what it fetches to the ledger, then acknowledging it. */
    static final class BusReader implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final BusConsumer consumer;
        final Thread thread;

        BusReader(io.nats.client.Connection nats, String name, Ledger ledger) throws Exception {
            consumer = new BusConsumer(nats, name, name, "shadow", List.of());
            thread = new Thread(() -> {
                while (running.get()) {
                    List<BusConsumer.BusChange> batch = consumer.fetch(200, Duration.ofMillis(100));
                    ledger.committed(batch.stream().map(b -> new CapturedChange(b.superblockId(), b.cellId(), b.cellVersion(),
                            b.committedAtMs(), b.payload())).toList());
                    consumer.acknowledge();
                }
            }, "bus-reader");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
            consumer.close();
        }
    }

    /** The consumer: each cell's last version; a version past the next one is a gap. */
    final class Ledger implements ChangeSink {
        final Map<Long, Long> last = new ConcurrentHashMap<>();
        final Queue<String> gaps = new ConcurrentLinkedQueue<>();
        final AtomicLong applied = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();

        @Override
        public CompletionStage<Void> committed(List<CapturedChange> changes) {
            for (CapturedChange c : changes) {
                assertThat(c.superblockId()).isEqualTo(superblockOf(c.cellId()));
                long before = last.getOrDefault(c.cellId(), 0L);
                if (c.cellVersion() <= before) {
                    duplicates.incrementAndGet();
                } else if (c.cellVersion() == before + 1) {
                    last.put(c.cellId(), c.cellVersion());
                    applied.incrementAndGet();
                } else {
                    gaps.add("cell " + c.cellId() + ": " + before + " then " + c.cellVersion());
                }
            }
            return TAKEN;
        }

        void awaitEverything() throws SQLException {
            Map<Long, Long> committed = committedVersions();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!last.equals(committed) && gaps.isEmpty() && System.nanoTime() < deadline) {
                sleep(50);
            }
        }

        void assertExactlyOncePerCellInOrder() throws SQLException {
            assertThat(gaps).as("gaps").isEmpty();
            Map<Long, Long> committed = committedVersions();
            assertThat(committed).hasSize(WRITERS * CELLS_PER_WRITER);
            assertThat(last).as("each cell's last version received").isEqualTo(committed);
            assertThat(applied.get()).isEqualTo(committed.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    /** Writers on cells of their own: transactions of one to three events, on one or two cells. */
    final class Writers implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong failures = new AtomicLong();
        final List<Thread> threads;

        Writers() {
            threads = java.util.stream.IntStream.range(0, WRITERS).mapToObj(w -> {
                Thread t = new Thread(() -> write(w), "writer-" + w);
                t.start();
                return t;
            }).toList();
        }

        private void write(int writer) {
            while (running.get()) {
                try (Connection c = store.connect()) {
                    c.setAutoCommit(false);
                    Map<Long, Long> versions = new HashMap<>();
                    for (int i = 0; i < CELLS_PER_WRITER; i++) {
                        long cell = 1 + writer * CELLS_PER_WRITER + i;
                        versions.put(cell, maxVersion(c, cell));
                    }
                    c.commit();
                    while (running.get()) {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        Map<Long, Long> next = new HashMap<>(versions);
                        try (PreparedStatement insert = c.prepareStatement("INSERT INTO change_log (cell_id, superblock_id,"
                                + " cell_version, request_id, rule, committed_at, payload) VALUES (?, ?, ?, ?, 1, ?, ?)")) {
                            for (int row = random.nextInt(1, 4); row > 0; row--) {
                                long cell = 1 + writer * CELLS_PER_WRITER + random.nextInt(CELLS_PER_WRITER);
                                long version = next.merge(cell, 1L, Long::sum);
                                insert.setLong(1, cell);
                                insert.setInt(2, superblockOf(cell));
                                insert.setLong(3, version);
                                insert.setString(4, "r-" + cell + "-" + version);
                                insert.setLong(5, System.currentTimeMillis());
                                insert.setBytes(6, new byte[] {(byte) version});
                                insert.addBatch();
                            }
                            insert.executeBatch();
                        }
                        c.commit();
                        versions = next;
                    }
                } catch (SQLException | AssertionError e) {
                    // The store is down or the commit's outcome unknown: reconnect and read where each cell is.
                    // pgjdbc's own assert (on under the tests' -ea) fails when the server dies inside executeBatch.
                    failures.incrementAndGet();
                    sleep(100);
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    static int superblockOf(long cell) {
        return (int) (cell % SUPERBLOCKS);
    }

    private static long maxVersion(Connection c, long cell) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(cell_version), 0) FROM change_log WHERE cell_id = ?")) {
            s.setLong(1, cell);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    Map<Long, Long> committedVersions() throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        try (Connection c = store.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT cell_id, MAX(cell_version) FROM change_log GROUP BY cell_id")) {
            while (r.next()) {
                out.put(r.getLong(1), r.getLong(2));
            }
        }
        return out;
    }

    static void awaitConnected(ChangeCapture capture) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!capture.isConnected()) {
            assertThat(System.nanoTime()).as("the capture connects").isLessThan(deadline);
            sleep(20);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
