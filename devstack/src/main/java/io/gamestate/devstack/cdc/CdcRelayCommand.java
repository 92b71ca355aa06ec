package io.gamestate.devstack.cdc;

import io.gamestate.cdc.CaptureSettings;
import io.gamestate.cdc.ChangeCapture;
import io.gamestate.cdc.JetStreamRelay;
import io.gamestate.devstack.Durations;
import io.gamestate.devstack.scorecard.ScorecardCommand;
import io.gamestate.devstack.transfers.BareStore;
import io.nats.client.Nats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdc-relay}: the store's change log, captured from its own log from a durable position,
 * published to NATS JetStream (one subject per superblock) until stopped; every interval it prints
 * how far behind the consumer's position is and raises an alarm above a bound (an unconsumed slot
 * fills the disk). {@code --drop} retires the consumer: its slot or offset file goes.
 */
@Command(name = "cdc-relay", showDefaultValues = true,
        description = "Relay the store's change log to NATS JetStream from a durable log position; report and bound its lag.")
public class CdcRelayCommand implements Callable<Integer> {

    @Option(names = "--family", paramLabel = "<family>", defaultValue = "postgresql", converter = ScorecardCommand.FamilyName.class,
            description = "Store family: postgresql (logical decoding, wal_level=logical) or mysql (row binlog); where: GAMESTATE_DB_HOST/PORT/NAME.")
    BareStore.Family family;

    @Option(names = "--consumer", defaultValue = "gamestate_relay", description = "The consumer's name: its slot (PostgreSQL), its replica id and offset file (MariaDB).")
    String consumer;

    @Option(names = "--nats", defaultValue = "nats://127.0.0.1:4222", description = "NATS server with JetStream.")
    String nats;

    @Option(names = "--stream", defaultValue = "gamestate_changes", description = "JetStream stream, also the subjects' prefix (<stream>.superblock.<id>).")
    String stream;

    @Option(names = "--offset-dir", defaultValue = "target/cdc-offsets", description = "Where a binlog consumer keeps its offset file (MariaDB).")
    Path offsetDir;

    @Option(names = "--report-every", defaultValue = "10s", converter = Durations.class, description = "How often the lag is printed.")
    Duration reportEvery;

    @Option(names = "--max-lag-bytes", defaultValue = "1073741824", description = "Alarm when the store holds more log than this for the consumer.")
    long maxLagBytes;

    @Option(names = "--drop", description = "Remove the consumer's slot or offset file, and exit.")
    boolean drop;

    @Override
    public Integer call() throws Exception {
        BareStore store = BareStore.fromEnvironment(family);
        ChangeCapture capture = ChangeCapture.of(new CaptureSettings(
                family == BareStore.Family.POSTGRESQL ? CaptureSettings.Log.LOGICAL_DECODING : CaptureSettings.Log.BINLOG, store.host(), store.port(),
                store.database(), store.user(), "", consumer, true,
                Optional.of(offsetDir)));
        if (drop) {
            capture.drop();
            System.out.println("dropped consumer " + consumer);
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (io.nats.client.Connection bus = Nats.connect(nats)) {
            capture.start(new JetStreamRelay(bus, stream, stream));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                capture.close(); // the position stays: a restart resumes there
                stopped.countDown();
            }));
            System.out.printf("relaying %s to %s, stream %s%n", store.url(), nats, stream);
            while (!stopped.await(reportEvery.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                long lag = capture.lagBytes();
                System.out.printf("consumer %s: %s, %d bytes of log behind%s%n", consumer,
                        capture.isConnected() ? "reading" : "not connected (" + capture.lastFailure() + ")", lag,
                        lag > maxLagBytes ? " -- ALARM: above --max-lag-bytes, the store keeps this log on disk" : "");
            }
        }
        return 0;
    }
}
