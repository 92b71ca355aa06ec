package io.gamestate.devstack;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.Arrays;

/**
 * Local tooling behind {@code ./run.sh}: {@code postgres} runs a real embedded PostgreSQL,
 * {@code bench} drives RMW-units into a running state-service and prints the figures,
 * {@code slow-requests} reads the trace backend after a run and says where slow requests spent their time.
 */
@QuarkusMain
public class DevstackMain implements QuarkusApplication {

    @Inject
    EmbeddedPostgresCommand postgres;

    @Inject
    RmwBenchmark bench;

    @Inject
    SlowRequestsCommand slowRequests;

    @Override
    public int run(String... args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: devstack postgres [--port=15432] [--data=DIR] | bench [--key=value...]"
                    + " | slow-requests [--zipkin=URL] [--lookback=10m] [--percentile=99]");
            return 2;
        }
        Options options = Options.parse(Arrays.copyOfRange(args, 1, args.length));
        return switch (args[0]) {
            case "postgres" -> postgres.run(options);
            case "bench" -> bench.run(options);
            case "slow-requests" -> slowRequests.run(options);
            default -> {
                System.err.println("unknown command " + args[0]);
                yield 2;
            }
        };
    }
}
