package io.gamestate.gls.game;

import io.gamestate.common.tracing.BatchTracing;
import io.gamestate.common.tracing.BatchTracing.Queued;
import io.gamestate.common.tracing.SpanNames;
import io.gamestate.gls.client.Downstream;
import io.gamestate.gls.client.DownstreamGuards;
import io.gamestate.gls.client.StateClient;
import io.gamestate.gls.config.GlsConfig;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.grpc.Status;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Sends RMW-units to state-service either one by one as they come ({@code gls.mode=immediate}) or
 * gathered per tick ({@code gls.mode=tick}, every {@code gls.tick}): one ApplyBatch carries all the
 * units of a tick, which is where the store's throughput comes from. Each action's trace shows
 * its wait for the tick in a {@code gls.tick} span ({@link BatchTracing}).
 */
@ApplicationScoped
public class Dispatcher {

    private final StateClient state;
    private final Vertx vertx;
    private final boolean ticking;
    private final long tickMillis;
    private final int maxBatch;
    private final Tracer tracer;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private long timer = -1;

    public Dispatcher(StateClient state, Vertx vertx, GlsConfig config, Tracer tracer) {
        this.state = state;
        this.tracer = tracer;
        this.vertx = vertx;
        this.ticking = config.mode() == GlsConfig.Mode.TICK;
        this.tickMillis = config.tick().toMillis();
        this.maxBatch = config.maxBatch();
    }

    void start(@Observes StartupEvent event) {
        if (ticking) {
            timer = vertx.setPeriodic(tickMillis, id -> tick());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public boolean ticking() {
        return ticking;
    }

    /** The unit's result; a unit the store refuses fails as {@link Downstream#classify} says. */
    public Uni<RmwResult> submit(RmwUnit unit) {
        if (!ticking) {
            return state.apply(unit);
        }
        return Uni.createFrom().emitter(emitter -> queue.add(new Pending(unit, emitter, Queued.now())));
    }

    private void tick() {
        while (!queue.isEmpty()) {
            List<Pending> batch = new ArrayList<>();
            Pending next;
            while (batch.size() < maxBatch && (next = queue.poll()) != null) {
                batch.add(next);
            }
            List<RmwUnit> units = batch.stream().map(Pending::unit).toList();
            BatchTracing.carry(tracer, SpanNames.GLS_TICK, batch.stream().map(Pending::queued).toList(),
                    () -> state.applyBatch(units)).subscribe().with(
                    results -> {
                        for (int i = 0; i < batch.size(); i++) {
                            RmwResult r = results.get(i);
                            if (r.getCode() == Status.Code.OK.value()) {
                                batch.get(i).emitter().complete(r);
                            } else {
                                batch.get(i).emitter().fail(Downstream.classify(DownstreamGuards.STATE,
                                        Status.fromCodeValue(r.getCode()).withDescription(r.getMessage()).asRuntimeException()));
                            }
                        }
                    },
                    failure -> batch.forEach(p -> p.emitter().fail(failure)));
        }
    }

    private record Pending(RmwUnit unit, UniEmitter<? super RmwResult> emitter, Queued queued) {
    }
}
