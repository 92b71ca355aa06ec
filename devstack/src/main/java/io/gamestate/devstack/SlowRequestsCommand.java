package io.gamestate.devstack;

import io.gamestate.devstack.traces.SlowRequestReport;
import io.gamestate.devstack.traces.ZipkinTraces;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code slow-requests}: after a load run, the slowest player requests from the trace backend and
 * where their time went. Options: {@code --zipkin=http://127.0.0.1:9411}, {@code --lookback=10m},
 * {@code --percentile=99} or {@code --min-ms=50}, {@code --show=10}, {@code --limit=20000} traces read.
 */
@ApplicationScoped
public class SlowRequestsCommand {

    int run(Options options) {
        ZipkinTraces zipkin = new ZipkinTraces(options.text("zipkin", "http://127.0.0.1:9411"));
        String minMs = options.text("min-ms", null);
        SlowRequestReport.Result result = new SlowRequestReport(zipkin).run(
                options.duration("lookback", Duration.ofMinutes(10)),
                Double.parseDouble(options.text("percentile", "99")),
                Optional.ofNullable(minMs).map(Double::parseDouble),
                options.number("limit", 20_000));
        System.out.print(SlowRequestReport.format(result, options.number("show", 10)));
        return 0;
    }
}
