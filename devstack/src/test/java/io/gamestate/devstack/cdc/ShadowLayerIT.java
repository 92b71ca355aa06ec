package io.gamestate.devstack.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.cdc.BusConsumer;
import io.gamestate.cdc.CaptureSettings;
import io.gamestate.cdc.ChangeCapture;
import io.gamestate.cdc.JetStreamRelay;
import io.gamestate.common.testing.JarProcess;
import io.gamestate.common.servers.LocalPostgres;
import io.gamestate.devstack.GameWorld;
import io.gamestate.proto.state.v1.StateServiceClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.nats.client.Nats;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The shadow layer end to end: the packaged state-service plays the game mix on a PostgreSQL of
 * the test's own (wal_level=logical); the log capture relays every change to NATS JetStream; a
 * durable consumer, restarted halfway, keeps per-superblock aggregates from the bus alone, and
 * they equal what state-service keeps in cell_aggregate.
 */
class ShadowLayerIT {

    static final int STATE_PORT = 15101;
    static final int STATE_HTTP_PORT = 15102;
    static final String DATABASE = "gamestate";

    @Test
    void aggregatesKeptFromTheBusAloneEqualCellAggregate() throws Exception {
        String name = "gamestate_cdc_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        JarProcess.requireFreePort(STATE_PORT);
        try (LocalPostgres pg = LocalPostgres.startTemporary(DATABASE, List.of("wal_level=logical"));
             JarProcess state = JarProcess.grpcService("state-service", STATE_PORT, STATE_HTTP_PORT,
                     Map.of("GAMESTATE_DB_PORT", Integer.toString(pg.port()), "GAMESTATE_DB_NAME", DATABASE)).start();
             io.nats.client.Connection nats = Nats.connect("nats://127.0.0.1:4222")) {
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", STATE_PORT).usePlaintext().build();
            ChangeCapture capture = ChangeCapture.of(new CaptureSettings(CaptureSettings.Log.LOGICAL_DECODING, "127.0.0.1", pg.port(),
                    DATABASE, "postgres", "", "shadow_it", true, Optional.empty()));
            ShadowAggregates shadow = new ShadowAggregates();
            try {
                capture.start(new JetStreamRelay(nats, name, name));
                Shadow consumer = new Shadow(nats, name, shadow);
                GameWorld world = GameWorld.spawn(new StateServiceClient("state", channel, (n, stub) -> stub),
                        new Random(7), 60, 30, 20);
                StateServiceClient client = new StateServiceClient("state", channel, (n, stub) -> stub);
                for (int i = 0; i < 150; i++) {
                    client.applyBatch(world.nextBatch(16)).await().atMost(Duration.ofSeconds(30));
                    if (i == 75) {
                        consumer.close(); // the consumer restarts: it resumes after what it acknowledged
                        consumer = new Shadow(nats, name, shadow);
                    }
                }
                long events = count(pg, "SELECT COUNT(*) FROM change_log");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (consumer.applied() < events && consumer.failure.get() == null && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                consumer.close();
                assertThat(consumer.failure.get()).isNull();
                assertThat(shadow.applied()).isEqualTo(events);
                try (Connection c = connect(pg)) {
                    Map<ShadowAggregates.Key, ShadowAggregates.Totals> store = ShadowAggregates.fromStore(c);
                    assertThat(store).isNotEmpty();
                    assertThat(shadow.totals()).isEqualTo(store);
                }
            } finally {
                capture.close();
                capture.drop();
                nats.jetStreamManagement().deleteStream(name);
                channel.shutdownNow();
            }
        }
    }

    /** The durable consumer on a thread: fetch, apply, acknowledge. */
    static final class Shadow implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final ShadowAggregates shadow;
        final BusConsumer consumer;
        final Thread thread;

        Shadow(io.nats.client.Connection nats, String name, ShadowAggregates shadow) throws Exception {
            this.shadow = shadow;
            consumer = new BusConsumer(nats, name, name, "shadow", List.of());
            thread = new Thread(() -> {
                try {
                    while (running.get()) {
                        List<BusConsumer.BusChange> batch = consumer.fetch(500, Duration.ofMillis(100));
                        synchronized (shadow) {
                            batch.forEach(shadow::apply);
                        }
                        consumer.acknowledge();
                    }
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            }, "shadow");
            thread.start();
        }

        long applied() {
            synchronized (shadow) {
                return shadow.applied();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
            consumer.close();
        }
    }

    static Connection connect(LocalPostgres pg) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + DATABASE, "postgres", "");
    }

    static long count(LocalPostgres pg, String sql) throws Exception {
        try (Connection c = connect(pg); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
