package io.gamestate.devstack;

import io.gamestate.devstack.cdc.CdcRelayCommand;
import io.gamestate.devstack.faults.CheckCommand;
import io.gamestate.devstack.faults.FaultsCommand;
import io.gamestate.devstack.faults.GaleraCommand;
import io.gamestate.devstack.scorecard.ScorecardCommand;
import io.gamestate.devstack.scorecard.report.ScorecardReportCommand;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * Local tooling behind {@code ./run.sh}: {@code postgres} runs a real embedded PostgreSQL,
 * {@code pg-replica} runs a PostgreSQL primary and a streaming standby of the installed PostgreSQL,
 * {@code bench} drives RMW-units into a running state-service and prints the figures,
 * {@code scorecard} runs the PoC scorecard's scenarios on one store,
 * {@code scorecard-report} turns the scorecard's scenario files into its HTML and Markdown pages,
 * {@code slow-requests} reads the trace backend after a run and says where slow requests spent their time,
 * {@code check} checks what a fault scenario's history left in the store,
 * {@code cdc-relay} relays the store's change log from its own log to NATS JetStream,
 * {@code galera} runs a Galera cluster, {@code faults} runs a fault scenario on a multi-node store of its own and ends in the checker.
 * Options are {@code --name=value}; an unknown or misspelled one is an error, not silently ignored.
 */
@TopCommand
@Command(name = "devstack", synopsisSubcommandLabel = "COMMAND",
        description = "Local tooling of the game-state suite (./run.sh uses it).",
        subcommands = {EmbeddedPostgresCommand.class, LocalMariaDbCommand.class, PgReplicaCommand.class, RmwBenchmark.class, ScorecardCommand.class,
                ScorecardReportCommand.class, SlowRequestsCommand.class, CheckCommand.class, CdcRelayCommand.class, GaleraCommand.class,
                FaultsCommand.class})
public class DevstackMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "Missing command: postgres, pg-replica, bench, scorecard, scorecard-report, slow-requests, check, cdc-relay, galera or faults");
    }
}
