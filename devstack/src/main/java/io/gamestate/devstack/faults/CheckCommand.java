package io.gamestate.devstack.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gamestate.devstack.scorecard.ScorecardCommand;
import io.gamestate.devstack.transfers.BareStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code check}: the {@link Checker} on a history a fault scenario (or any recorded load) left,
 * against the store at GAMESTATE_DB_*; unknown units are re-sent through the state-services named.
 */
@Command(name = "check", showDefaultValues = true,
        description = "Check a recorded history against the store: conservation, recounts, change log, acknowledged and unknown units.")
public class CheckCommand implements Callable<Integer> {

    @Option(names = "--history", required = true, paramLabel = "<file>", description = "The history file the load recorded.")
    Path history;

    @Option(names = "--family", paramLabel = "<family>", defaultValue = "postgresql", converter = ScorecardCommand.FamilyName.class,
            description = "Store family, as the services' build: postgresql or mysql.")
    BareStore.Family family;

    @Option(names = "--state", paramLabel = "<host:port>", split = ",",
            defaultValue = "${env:STATE_HOST:-127.0.0.1}:${env:STATE_PORT:-9101}",
            description = "state-service processes to re-send unknown units through, tried in turn.")
    List<String> state;

    @Option(names = "--report", paramLabel = "<file>", description = "Also write the report as JSON here.")
    Path report;

    @Override
    public Integer call() throws Exception {
        try (RecordingClient client = new RecordingClient(state, Duration.ofSeconds(20), null)) {
            Checker.Report r = new Checker(BareStore.fromEnvironment(family), client.services()).check(History.read(history));
            print(r);
            if (report != null) {
                write(r, report);
            }
            return r.holds() ? 0 : 1;
        }
    }

    /** The report as the fault commands print it. */
    public static void print(Checker.Report r) {
        System.out.printf("checker: %d units, %d acknowledged, %d refused, %d unknown %s%n", r.units(), r.acknowledged(), r.failed(),
                r.unknown(), r.unknownResolved());
        System.out.printf("    gold %d -> %d, amount %d -> %d%n", r.goldBefore(), r.goldAfter(), r.amountBefore(), r.amountAfter());
        for (Checker.FaultTiming t : r.faults()) {
            System.out.printf("    fault %-22s %6d ms: OK/s before %8.1f, during %8.1f; first OK after %s ms, full throughput after %s ms%n",
                    t.fault(), t.durationMillis(), t.okPerSecondBefore(), t.okPerSecondDuring(), t.firstOkMillis(),
                    t.fullThroughputMillis());
        }
        if (r.holds()) {
            System.out.println("    no violations");
        }
        r.violations().forEach((name, count) -> System.out.printf("    VIOLATION %s: %d, e.g. %s%n", name, count, r.examples().get(name)));
    }

    public static void write(Checker.Report r, Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), r);
    }
}
