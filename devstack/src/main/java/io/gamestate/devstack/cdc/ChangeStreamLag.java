package io.gamestate.devstack.cdc;

import io.gamestate.devstack.StateLoad;
import io.gamestate.proto.query.v1.QueryServiceGrpc;
import io.gamestate.proto.query.v1.WatchRequest;
import io.gamestate.proto.state.v1.Bounds;
import io.gamestate.proto.state.v1.ChangeEvent;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Commit-to-consumer lag of query-service's change streams under load: watches on regions where
 * the game mix is dense, each event's lag taken on arrival (its commit time is state-service's
 * clock: the same host here). The mode is query-service's (watch-source poll or log), read from
 * its metrics. The watches are plain grpc-java calls, so that closing cancels them on the wire.
 */
public final class ChangeStreamLag implements AutoCloseable {

    private static final Pattern SOURCE = Pattern.compile("source=\"([a-z]+)\"");

    private final Histogram lagMs = new ConcurrentHistogram(3);
    private final List<Watch> watches = new ArrayList<>();
    private final long countFromMs;
    private volatile boolean closed;

    /** Watches a square of the given side centred on each point, from now on; counts every event. */
    public ChangeStreamLag(Channel query, List<double[]> centres, double side) {
        this(query, centres, side, 0);
    }

    /**
     * As above, counting only events committed from {@code countFromMs} (epoch ms) on: a warm-up's
     * events, sent while query-service's watch path is still being compiled, stay out of the figures.
     */
    public ChangeStreamLag(Channel query, List<double[]> centres, double side, long countFromMs) {
        this.countFromMs = countFromMs;
        for (double[] c : centres) {
            Bounds region = Bounds.newBuilder().setMinX(c[0] - side / 2).setMinY(c[1] - side / 2)
                    .setMaxX(c[0] + side / 2).setMaxY(c[1] + side / 2).build();
            Watch watch = new Watch();
            watches.add(watch);
            QueryServiceGrpc.newStub(query).watchRegion(WatchRequest.newBuilder().setRegion(region).build(), watch);
        }
    }

    private final class Watch implements ClientResponseObserver<WatchRequest, ChangeEvent> {
        private volatile ClientCallStreamObserver<WatchRequest> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchRequest> call) {
            this.call = call;
        }

        @Override
        public void onNext(ChangeEvent e) {
            if (e.getCommittedAtMs() >= countFromMs) {
                lagMs.recordValue(Math.max(0, System.currentTimeMillis() - e.getCommittedAtMs()));
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (!closed) {
                System.err.println("a change stream failed: " + failure);
            }
        }

        @Override
        public void onCompleted() {
        }
    }

    /** The report line: mode, events, p50 and p99. */
    public String line() {
        String source = watchSource().orElse("unknown");
        return String.format("change streams (watch-source=%s, %d watches): %d events, commit-to-consumer lag p50 %d ms, p99 %d ms",
                source, watches.size(), lagMs.getTotalCount(), lagMs.getValueAtPercentile(50), lagMs.getValueAtPercentile(99));
    }

    public Histogram lagMs() {
        return lagMs;
    }

    /** query-service's watch-source, from the tag of its lag timer. */
    public static Optional<String> watchSource() {
        List<String> lines = StateLoad.queryMetricLines("gamestate_query_watch_lag_seconds_count");
        if (lines == null) {
            return Optional.empty();
        }
        return lines.stream().map(SOURCE::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst();
    }

    @Override
    public void close() {
        closed = true;
        watches.forEach(w -> w.call.cancel("the measurement is over", null));
    }
}
