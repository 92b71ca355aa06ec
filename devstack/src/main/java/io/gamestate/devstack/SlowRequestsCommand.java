package io.gamestate.devstack;

import io.gamestate.devstack.traces.SlowRequestReport;
import io.gamestate.devstack.traces.ZipkinTraces;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** After a load run, the slowest player requests from the trace backend and where their time went. */
@Command(name = "slow-requests", showDefaultValues = true,
        description = "Report the slowest traced player requests of a run and where their time went.")
public class SlowRequestsCommand implements Callable<Integer> {

    @Option(names = "--zipkin", paramLabel = "<url>", defaultValue = "http://127.0.0.1:9411",
            description = "Zipkin server to read traces from.")
    String zipkin;

    @Option(names = "--lookback", defaultValue = "10m", converter = Durations.class,
            description = "Traces that ended this long ago or later (30s, 10m, 1h).")
    Duration lookback;

    @ArgGroup(exclusive = true)
    SlowBound slow = new SlowBound();

    @Option(names = "--show", paramLabel = "<n>", defaultValue = "10",
            description = "Slowest requests listed one by one.")
    int show;

    @Option(names = "--limit", paramLabel = "<n>", defaultValue = "20000",
            description = "Most traces read from Zipkin.")
    int limit;

    /** What counts as slow: a percentile of the run's requests, or a fixed bound. */
    static final class SlowBound {
        @Option(names = "--percentile", defaultValue = "99", description = "Requests at or above this percentile.")
        double percentile;

        @Option(names = "--min-ms", paramLabel = "<ms>",
                description = "Requests that took at least this many milliseconds.")
        Double minMillis;
    }

    @Override
    public Integer call() {
        SlowRequestReport.Result result = new SlowRequestReport(new ZipkinTraces(zipkin))
                .run(lookback, slow.percentile, Optional.ofNullable(slow.minMillis), limit);
        System.out.print(SlowRequestReport.format(result, show));
        return 0;
    }
}
