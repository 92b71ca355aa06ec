package io.gamestate.cdc;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A capture's sink that publishes every change to NATS JetStream, one subject per superblock
 * ({@code <prefix>.superblock.<id>}), in commit order, so each subject carries its cells' events in
 * version order. A transaction counts as taken (and the capture's offset moves past it) only once
 * JetStream acknowledged every message of it: the bus has it on disk. The relay publishes the next
 * transactions meanwhile (JetStream stores one connection's publishes in the order sent), so it
 * waits no round trip per transaction. Each message's id is its
 * cell and version, so what the capture hands again after a restart is dropped by JetStream's
 * duplicate window, and whatever comes later still is by a consumer's per-cell version.
 */
public final class JetStreamRelay implements ChangeSink {

    public static final String CELL = "Gamestate-Cell-Id";
    public static final String VERSION = "Gamestate-Cell-Version";
    public static final String COMMITTED_AT = "Gamestate-Committed-At";
    static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);
    static final Duration ACK_WAIT = Duration.ofSeconds(10);

    private final JetStream jetStream;
    private final String prefix;

    public JetStreamRelay(Connection nats, String stream, String prefix) throws IOException, JetStreamApiException {
        ensureStream(nats.jetStreamManagement(), stream, prefix);
        this.jetStream = nats.jetStream();
        this.prefix = prefix;
    }

    public static String subject(String prefix, int superblockId) {
        return prefix + ".superblock." + superblockId;
    }

    /** The stream of the subjects, on disk, with the duplicate window; created once, kept after. */
    static void ensureStream(JetStreamManagement jsm, String stream, String prefix) throws IOException, JetStreamApiException {
        StreamConfiguration config = StreamConfiguration.builder().name(stream).subjects(prefix + ".superblock.*")
                .storageType(StorageType.File).duplicateWindow(DUPLICATE_WINDOW).build();
        if (jsm.getStreamNames().contains(stream)) {
            jsm.updateStream(config);
        } else {
            jsm.addStream(config);
        }
    }

    @Override
    public CompletionStage<Void> committed(List<CapturedChange> changes) {
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>(changes.size());
        for (CapturedChange c : changes) {
            Headers headers = new Headers()
                    .add("Nats-Msg-Id", c.cellId() + ":" + c.cellVersion())
                    .add(CELL, Long.toString(c.cellId()))
                    .add(VERSION, Long.toString(c.cellVersion()))
                    .add(COMMITTED_AT, Long.toString(c.committedAtMs()));
            acks.add(jetStream.publishAsync(subject(prefix, c.superblockId()), headers, c.payload()));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).orTimeout(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
