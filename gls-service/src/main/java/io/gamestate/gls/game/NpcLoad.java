package io.gamestate.gls.game;

import io.gamestate.gls.client.StateClient;
import io.gamestate.gls.config.GlsConfig;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Move;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.common.world.WorldGeometry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * NPCs that wander: spawned at start (again and again until state-service answers), then moved a
 * step at a time at {@code gls.npc.actions-per-second} in total, through the dispatcher like every
 * player action, so they share the players' ticks and batches.
 */
@ApplicationScoped
public class NpcLoad {

    private static final Logger LOG = Logger.getLogger(NpcLoad.class);
    private static final long PERIOD_MS = 50;
    private static final double STEP = 2;

    private final StateClient state;
    private final Dispatcher dispatcher;
    private final GameStats stats;
    private final WorldGeometry world;
    private final Vertx vertx;
    private final GlsConfig.Npc config;
    private volatile long[] ids = new long[0];
    private double[][] positions;
    private double owed;
    private long timer = -1;

    public NpcLoad(StateClient state, Dispatcher dispatcher, GameStats stats, WorldGeometry world, Vertx vertx,
                   GlsConfig config) {
        this.state = state;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.world = world;
        this.vertx = vertx;
        this.config = config.npc();
    }

    void start(@Observes StartupEvent event) {
        if (config.count() == 0) {
            return;
        }
        spawnAll().onFailure().invoke(e -> LOG.warnf("NPC spawn failed, retrying: %s", e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).indefinitely()
                .subscribe().with(spawned -> {
                    LOG.infof("%d NPCs walk at %.0f moves/s", spawned, config.actionsPerSecond());
                    timer = vertx.setPeriodic(PERIOD_MS, id -> walk());
                });
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public int count() {
        return ids.length;
    }

    private Uni<Integer> spawnAll() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double[][] at = new double[config.count()][];
        List<RmwUnit> spawns = new ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            at[i] = new double[] {random.nextDouble() * world.width(), random.nextDouble() * world.height()};
            spawns.add(RmwUnit.newBuilder().setRequestId(UUID.randomUUID().toString())
                    .setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_NPC).setHp(1_000_000)
                            .setPosition(Position.newBuilder().setX(at[i][0]).setY(at[i][1]))).build());
        }
        return Multi.createFrom().iterable(chunks(spawns, 200))
                .onItem().transformToUniAndConcatenate(chunk -> state.applyBatch(chunk))
                .onItem().transformToIterable(results -> results)
                .map(result -> result.getEntities(0).getId())
                .collect().asList()
                .map(spawned -> {
                    positions = at;
                    ids = spawned.stream().mapToLong(Long::longValue).toArray();
                    return ids.length;
                });
    }

    /** Sends the moves this period owes; fractions carry over, so low rates still move. */
    private void walk() {
        owed += config.actionsPerSecond() * PERIOD_MS / 1000.0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (; owed >= 1; owed--) {
            int i = random.nextInt(ids.length);
            double[] p = positions[i];
            p[0] = Math.max(0, Math.min(world.width() - 0.001, p[0] + random.nextDouble(-STEP, STEP)));
            p[1] = Math.max(0, Math.min(world.height() - 0.001, p[1] + random.nextDouble(-STEP, STEP)));
            dispatcher.submit(RmwUnit.newBuilder().setRequestId(UUID.randomUUID().toString())
                            .setMove(Move.newBuilder().setEntityId(ids[i])
                                    .setTo(Position.newBuilder().setX(p[0]).setY(p[1]))).build())
                    .subscribe().with(r -> stats.applied("npc"), failure -> stats.failed("npc", failure));
        }
    }

    private static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }
}
