package io.gamestate.state;

import static io.gamestate.state.TestWorld.damage;
import static io.gamestate.state.TestWorld.harvest;
import static io.gamestate.state.TestWorld.heal;
import static io.gamestate.state.TestWorld.move;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.cdc.BusConsumer;
import io.gamestate.cdc.CaptureSettings;
import io.gamestate.cdc.ChangeCapture;
import io.gamestate.cdc.JetStreamRelay;
import io.gamestate.common.testing.OwnLogStore;
import io.gamestate.proto.state.v1.Despawn;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.store.StoreFamily;
import io.grpc.Status;
import io.nats.client.Nats;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The shadow layer end to end, on each family: this service's writes (spawns, moves across cells
 * and superblocks, combat, harvests, despawns) on a store of the test's own that writes its log;
 * the log capture relays every change to NATS JetStream; a durable consumer, restarted halfway,
 * keeps per-superblock aggregates from the bus alone, and they equal what this service keeps in
 * {@code cell_aggregate}.
 */
@QuarkusTest
@TestProfile(ShadowLayerTest.LogStore.class)
class ShadowLayerTest {

    static final String DATABASE = "gamestate_shadow_test";

    public static class LogStore implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnLogStore.class, Map.of(OwnLogStore.DATABASE_ARG, DATABASE)));
        }
    }

    @Inject
    TestWorld world;

    @ConfigProperty(name = "gamestate.db.port")
    int port;

    @Test
    void aggregatesKeptFromTheBusAloneEqualCellAggregate() throws Exception {
        boolean postgres = world.family() == StoreFamily.POSTGRESQL;
        String stream = "gamestate_shadow_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        Path offsets = Files.createTempDirectory("shadow-offsets-");
        ChangeCapture capture = ChangeCapture.of(new CaptureSettings(
                postgres ? CaptureSettings.Log.LOGICAL_DECODING : CaptureSettings.Log.BINLOG, "127.0.0.1", port, DATABASE,
                postgres ? "postgres" : "root", "", "shadow_test", true, Optional.of(offsets)));
        ShadowAggregates shadow = new ShadowAggregates();
        try (io.nats.client.Connection nats = Nats.connect("nats://127.0.0.1:4222")) {
            try {
                capture.start(new JetStreamRelay(nats, stream, stream));
                Shadow consumer = new Shadow(nats, stream, shadow);
                Random random = new Random(7);
                List<Long> players = new ArrayList<>();
                List<Long> npcs = new ArrayList<>();
                List<Long> nodes = new ArrayList<>();
                // Four superblocks (256 x 256 each) meet at (256, 256).
                for (int i = 0; i < 12; i++) {
                    players.add(world.player(200 + random.nextInt(112), 200 + random.nextInt(112), 0));
                    npcs.add(world.npc(200 + random.nextInt(112), 200 + random.nextInt(112), 500));
                }
                for (int i = 0; i < 4; i++) {
                    nodes.add(world.node(200 + random.nextInt(112), 200 + random.nextInt(112), "ore", 1000));
                }
                for (int round = 0; round < 40; round++) {
                    List<RmwUnit> units = new ArrayList<>();
                    for (int u = 0; u < 8; u++) {
                        long p = players.get(random.nextInt(players.size()));
                        long npc = npcs.get(random.nextInt(npcs.size()));
                        units.add(switch (random.nextInt(4)) {
                            case 0 -> move(p, 200 + random.nextInt(112), 200 + random.nextInt(112));
                            case 1 -> damage(p, npc, 1 + random.nextInt(5));
                            case 2 -> heal(npc, 1 + random.nextInt(3));
                            default -> harvest(p, nodes.get(random.nextInt(nodes.size())), 1 + random.nextInt(3), 0);
                        });
                    }
                    if (round % 10 == 9) {
                        units.add(despawn(npcs.remove(0)));
                        units.add(spawnNpc(200 + random.nextInt(112), 200 + random.nextInt(112)));
                    }
                    for (RmwResult r : world.batch(units)) {
                        assertThat(r.getCode()).as(r.getMessage()).isIn(Status.Code.OK.value(), Status.Code.FAILED_PRECONDITION.value());
                        if (r.getCode() == Status.Code.OK.value() && r.getRule() == Rule.RULE_SPAWN) {
                            npcs.add(r.getEntities(0).getId());
                        }
                    }
                    if (round == 20) {
                        consumer.close(); // the consumer restarts: it resumes after what it acknowledged
                        consumer = new Shadow(nats, stream, shadow);
                    }
                }
                long events = world.number("SELECT COUNT(*) FROM change_log");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (consumer.applied() < events && consumer.failure.get() == null && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                consumer.close();
                assertThat(consumer.failure.get()).isNull();
                assertThat(shadow.applied()).isEqualTo(events);
                try (Connection c = postgres
                        ? DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, "postgres", "")
                        : DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE, "root", "")) {
                    Map<ShadowAggregates.Key, ShadowAggregates.Totals> store = ShadowAggregates.fromStore(c);
                    assertThat(store.keySet().stream().map(ShadowAggregates.Key::superblockId).distinct().count())
                            .as("superblocks with entities").isGreaterThan(1);
                    assertThat(shadow.totals()).isEqualTo(store);
                }
            } finally {
                capture.close();
                capture.drop();
                nats.jetStreamManagement().deleteStream(stream);
            }
        }
    }

    private static RmwUnit despawn(long id) {
        return RmwUnit.newBuilder().setRequestId(TestWorld.newId()).setDespawn(Despawn.newBuilder().setEntityId(id)).build();
    }

    private static RmwUnit spawnNpc(double x, double y) {
        return RmwUnit.newBuilder().setRequestId(TestWorld.newId()).setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_NPC)
                .setPosition(TestWorld.pos(x, y)).setHp(500)).build();
    }

    /** The durable consumer on a thread: fetch, apply, acknowledge. */
    static final class Shadow implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final ShadowAggregates shadow;
        final BusConsumer consumer;
        final Thread thread;

        Shadow(io.nats.client.Connection nats, String stream, ShadowAggregates shadow) throws Exception {
            this.shadow = shadow;
            consumer = new BusConsumer(nats, stream, stream, "shadow", List.of());
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
}
