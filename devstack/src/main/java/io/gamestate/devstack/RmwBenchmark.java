package io.gamestate.devstack;

import io.gamestate.proto.query.v1.NearestQuery;
import io.gamestate.proto.query.v1.QueryService;
import io.gamestate.proto.query.v1.RadiusQuery;
import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.Damage;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.Harvest;
import io.gamestate.proto.state.v1.Heal;
import io.gamestate.proto.state.v1.Move;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.StateService;
import io.gamestate.proto.state.v1.Trade;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import io.gamestate.devstack.cdc.ChangeStreamLag;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: drives a GLS-like mix of RMW-units (moves, hits, heals, harvests, trades over a world with
 * crowded towns) into a running state-service, and look-around queries into query-service, and
 * reports throughput and latency percentiles.
 * It runs each mode for the same time, one after the other, so the figures of one run compare.
 */
@Command(name = "bench", showDefaultValues = true,
        description = "Drive RMW-units into state-service and queries into query-service; print throughput and latencies.")
public class RmwBenchmark implements Callable<Integer> {

    @GrpcClient("state")
    StateService state;

    @GrpcClient("query")
    QueryService query;

    /** The same client's channel, for calls that must be cancelled on the wire (change streams). */
    @GrpcClient("query")
    Channel queryChannel;

    @Option(names = "--duration", defaultValue = "15s", converter = Durations.class,
            description = "Length of each mode.")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = Durations.class,
            description = "Unmeasured load before each mode.")
    Duration warmup;

    @Option(names = "--modes", paramLabel = "<mode>", defaultValue = "single,batch,query,orm-lookup,sql-lookup", split = ",", converter = Mode.Named.class,
            description = "Modes in order: ${COMPLETION-CANDIDATES}.")
    List<Mode> modes;

    @Option(names = "--concurrency", paramLabel = "<n>", defaultValue = "16", description = "Units in flight.")
    int concurrency;

    @Option(names = "--batch-size", paramLabel = "<n>", defaultValue = "16",
            description = "Units per ApplyBatch call in batch mode.")
    int batchSize;

    @Option(names = "--players", paramLabel = "<n>", defaultValue = "2000",
            description = "Players spawned, each with a bag.")
    int playerCount;

    @Option(names = "--npcs", paramLabel = "<n>", defaultValue = "400", description = "NPCs spawned.")
    int npcCount;

    @Option(names = "--nodes", paramLabel = "<n>", defaultValue = "200", description = "Resource nodes spawned.")
    int nodeCount;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the world's layout.")
    long seed;

    @Option(names = "--report", paramLabel = "<file>", defaultValue = "target/rmw-bench.txt",
            description = "File the table is also written to.")
    Path report;

    /**
     * As on the command line. single: ApplyRmw calls (group-committed); batch: ApplyBatch calls;
     * query: look-around queries. The last two read one resource node by its key, the same rows
     * either way, to put a price on Hibernate Reactive: orm-lookup is state-service's GetEntity
     * (a Hibernate Reactive session and find), sql-lookup query-service's EntitiesInRadius around
     * the node's position (a prepared statement on the Vert.x SQL client).
     */
    enum Mode {
        SINGLE, BATCH, QUERY, ORM_LOOKUP, SQL_LOOKUP;

        @Override
        public String toString() {
            return EnumNames.of(this);
        }

        static final class Named extends EnumNames<Mode> {
            Named() {
                super(Mode.class, "mode");
            }
        }
    }

    private GameWorld world;

    @Override
    public Integer call() throws Exception {
        world = GameWorld.spawn(state, new Random(seed), playerCount, npcCount, nodeCount);

        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-22s %9s %10s %8s %8s %8s %8s", "mode", "units", "units/s", "p50 ms", "p95 ms", "p99 ms", "failed"));
        long retriesBefore = StateLoad.stateMetric("gamestate_rmw_retries_total");
        long failedUnits = 0;
        ChangeStreamLag lag = new ChangeStreamLag(queryChannel, GameWorld.towns(), 96);
        for (Mode mode : modes) {
            int inFlight = mode == Mode.BATCH ? Math.max(1, concurrency / batchSize) : concurrency;
            Supplier<Uni<Outcome>> call = switch (mode) {
                case SINGLE -> () -> applyRmw(world.nextUnit());
                case BATCH -> () -> applyBatch(batchSize);
                case QUERY -> this::lookAround;
                case ORM_LOOKUP -> this::lookUpNodeByOrm;
                case SQL_LOOKUP -> this::lookUpNodeBySql;
            };
            measure(call, inFlight, warmup);
            Result r = measure(call, inFlight, duration);
            String label = switch (mode) {
                case SINGLE -> "ApplyRmw (" + inFlight + " in flight)";
                case BATCH -> "ApplyBatch x" + batchSize + " (" + inFlight + " in flight)";
                case QUERY -> "query (" + inFlight + " in flight)";
                case ORM_LOOKUP -> "orm-lookup (" + inFlight + ")";
                case SQL_LOOKUP -> "sql-lookup (" + inFlight + ")";
            };
            lines.add(String.format("%-22s %9d %10.0f %8.2f %8.2f %8.2f %8d", label, r.units(), r.units() / r.seconds(),
                    r.millisAt(50), r.millisAt(95), r.millisAt(99), r.failed()));
            failedUnits += r.failed();
        }
        lag.close();
        lines.add(lag.line());
        lines.add("retries inside state-service during the run: " + (StateLoad.stateMetric("gamestate_rmw_retries_total") - retriesBefore)
                + "; cell splits since state-service started (crowds at spawn and during the run): "
                + StateLoad.stateMetric("gamestate_partition_changes_total{kind=\"split\"}"));
        lines.forEach(System.out::println);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.write(report, lines);
        System.out.println("report written to " + report.toAbsolutePath());
        return failedUnits == 0 ? 0 : 1;
    }

    // ---- load -------------------------------------------------------------------------------

    private Result measure(Supplier<Uni<Outcome>> call, int inFlight, Duration length) {
        Histogram latencies = new ConcurrentHistogram(3); // nanoseconds, three significant digits
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        StateLoad.inFlight(inFlight, start + length.toNanos(), length.plusMinutes(2), () -> {
            long t0 = System.nanoTime();
            return call.get().invoke(o -> {
                // A batch's units share its call's latency: one entry per unit.
                latencies.recordValueWithCount(System.nanoTime() - t0, o.operations());
                failed.addAndGet(o.failed());
            });
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(seconds, latencies, failed.get());
    }

    /** How many operations a call carried and how many of them failed. */
    private record Outcome(int operations, int failed) {
    }

    private Uni<Outcome> applyRmw(RmwUnit unit) {
        return state.applyRmw(unit).map(r -> new Outcome(1, 0))
                .onFailure().recoverWithItem(new Outcome(1, 1));
    }

    private Uni<Outcome> applyBatch(int size) {
        return state.applyBatch(world.nextBatch(size))
                .map(r -> new Outcome(size, (int) r.getResultsList().stream().filter(u -> u.getCode() != 0).count()))
                .onFailure().recoverWithItem(new Outcome(size, size));
    }

    /** What a client does now and then: who is around me, and the few nearest to me. */
    private Uni<Outcome> lookAround() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double[] p = world.randomPlayerPosition();
        Position center = GameWorld.position(p[0], p[1]);
        Uni<?> call = random.nextBoolean()
                ? query.entitiesInRadius(RadiusQuery.newBuilder().setCenter(center).setRadius(32).setLimit(200).build())
                : query.nearestEntities(NearestQuery.newBuilder().setCenter(center).setK(8).setMaxRadius(256).build());
        return call.map(r -> new Outcome(1, 0)).onFailure().recoverWithItem(new Outcome(1, 1));
    }

    private Uni<Outcome> lookUpNodeByOrm() {
        long node = world.nodes().get(ThreadLocalRandom.current().nextInt(world.nodes().size()));
        return state.getEntity(GetEntityRequest.newBuilder().setEntityId(node).build())
                .map(e -> new Outcome(1, 0)).onFailure().recoverWithItem(new Outcome(1, 1));
    }

    /** The same node found by its position: a radius below the spacing of spawn points. */
    private Uni<Outcome> lookUpNodeBySql() {
        double[] p = world.nodePositions().get(ThreadLocalRandom.current().nextInt(world.nodePositions().size()));
        return query.entitiesInRadius(RadiusQuery.newBuilder().setCenter(GameWorld.position(p[0], p[1])).setRadius(0.01).setLimit(1).build())
                .map(r -> new Outcome(1, r.getEntitiesCount() == 1 ? 0 : 1)).onFailure().recoverWithItem(new Outcome(1, 1));
    }

    /** A mode's run: how long it took, each unit's call latency in nanoseconds, the units that failed. */
    private record Result(double seconds, Histogram latencies, long failed) {
        long units() {
            return latencies.getTotalCount();
        }

        double millisAt(double percentile) {
            return units() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1e6;
        }
    }
}
