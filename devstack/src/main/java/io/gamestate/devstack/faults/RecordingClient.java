package io.gamestate.devstack.faults;

import io.gamestate.proto.state.v1.ApplyBatchRequest;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.StateService;
import io.gamestate.proto.state.v1.StateServiceClient;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A client of several state-service processes (each on its own store node) that records every
 * unit's outcome in a {@link History}. Calls go round-robin; a process that answered UNAVAILABLE or
 * did not answer in time is passed over for a second, so the callers move on to the others, as a
 * GLS with several state-service addresses would.
 */
public final class RecordingClient implements AutoCloseable {

    /** Pass over a process this long after it failed to answer. */
    static final long PASS_OVER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<StateService> services = new ArrayList<>();
    private final AtomicLongArray downUntil;
    private final AtomicInteger next = new AtomicInteger();
    private final History history;

    /** endpoints: host:port of each state-service; every call gets its own deadline. */
    public RecordingClient(List<String> endpoints, Duration deadline, History history) {
        for (String endpoint : endpoints) {
            String[] hostPort = endpoint.split(":");
            ManagedChannel channel = ManagedChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1])).usePlaintext()
                    .maxInboundMessageSize(16 * 1024 * 1024).build();
            channels.add(channel);
            services.add(new StateServiceClient("state-" + endpoint,
                    ClientInterceptors.intercept(channel, new PerCallDeadline(deadline)), (name, stub) -> stub));
        }
        this.downUntil = new AtomicLongArray(endpoints.size());
        this.history = history;
    }

    /** The state-service clients, in the order of the endpoints (for setup and for re-sending unknown units). */
    public List<StateService> services() {
        return services;
    }

    /** One unit as an ApplyRmw call, recorded; answers 1 (the unit carried). */
    public Uni<Integer> applyRmw(RmwUnit unit) {
        int i = pick();
        long start = System.currentTimeMillis();
        return services.get(i).applyRmw(unit).onItemOrFailure().invoke((result, failure) -> {
            if (failure == null) {
                history.ok(start, unit, result);
            } else {
                Status status = Status.fromThrowable(failure);
                passOverOnFailure(i, status.getCode());
                history.failure(start, unit, status);
            }
        }).map(r -> 1).onFailure().recoverWithItem(1);
    }

    /** One ApplyBatch call, each unit recorded with its own answer; answers the units carried. */
    public Uni<Integer> applyBatch(ApplyBatchRequest batch) {
        int i = pick();
        long start = System.currentTimeMillis();
        return services.get(i).applyBatch(batch).onItemOrFailure().invoke((response, failure) -> {
            if (failure == null) {
                for (int u = 0; u < batch.getUnitsCount(); u++) {
                    RmwResult r = response.getResults(u);
                    if (r.getCode() == 0) {
                        history.ok(start, batch.getUnits(u), r);
                    } else {
                        history.failure(start, batch.getUnits(u), Status.fromCodeValue(r.getCode()).withDescription(r.getMessage()));
                    }
                }
            } else {
                Status status = Status.fromThrowable(failure);
                passOverOnFailure(i, status.getCode());
                batch.getUnitsList().forEach(u -> history.failure(start, u, status));
            }
        }).map(r -> batch.getUnitsCount()).onFailure().recoverWithItem(batch.getUnitsCount());
    }

    private void passOverOnFailure(int i, Status.Code code) {
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
            downUntil.set(i, System.nanoTime() + PASS_OVER_NANOS);
        }
    }

    /** The next process in turn that has not failed in the last second; when all have, the next in turn. */
    private int pick() {
        int n = services.size();
        int first = Math.floorMod(next.getAndIncrement(), n);
        long now = System.nanoTime();
        for (int k = 0; k < n; k++) {
            int i = (first + k) % n;
            long until = downUntil.get(i);
            if (until == 0 || until - now <= 0) { // 0: never failed (nanoTime may be negative)
                return i;
            }
        }
        return first;
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    /** A deadline set on each call: one set on the stub would count from the stub's creation. */
    private record PerCallDeadline(Duration deadline) implements ClientInterceptor {
        @Override
        public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
            return next.newCall(method, options.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
        }
    }
}
