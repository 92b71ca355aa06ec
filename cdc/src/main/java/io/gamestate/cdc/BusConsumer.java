package io.gamestate.cdc;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A durable JetStream consumer of the change bus that reads in stream order, also after a
 * restart: it resumes right after its acknowledged floor (acknowledgements cover everything
 * before them), so nothing it did not acknowledge is skipped and nothing comes out of order. What
 * it processed but had not acknowledged comes again; its per-cell versions drop that.
 */
public final class BusConsumer implements AutoCloseable {

    /** One change as the bus carries it. */
    public record BusChange(int superblockId, long cellId, long cellVersion, long committedAtMs, byte[] payload,
            Message message) {
    }

    private final JetStreamSubscription subscription;
    private Message lastFetched;

    /** The durable consumer, of every superblock's subject or of the given superblocks only. */
    public BusConsumer(Connection nats, String stream, String prefix, String durable, List<Integer> superblocks)
            throws IOException, JetStreamApiException {
        JetStreamManagement jsm = nats.jetStreamManagement();
        long resumeAt = 1;
        if (jsm.getConsumerNames(stream).contains(durable)) {
            ConsumerInfo info = jsm.getConsumerInfo(stream, durable);
            resumeAt = info.getAckFloor().getStreamSequence() + 1;
            jsm.deleteConsumer(stream, durable);
        }
        List<String> subjects = superblocks.isEmpty() ? List.of(prefix + ".superblock.*")
                : superblocks.stream().map(sb -> JetStreamRelay.subject(prefix, sb)).toList();
        ConsumerConfiguration config = ConsumerConfiguration.builder().durable(durable)
                .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(resumeAt)
                .ackPolicy(AckPolicy.All).ackWait(Duration.ofSeconds(30)).filterSubjects(subjects).build();
        jsm.addOrUpdateConsumer(stream, config);
        subscription = nats.jetStream().subscribe(null, PullSubscribeOptions.bind(stream, durable));
    }

    /** Up to max changes: the pull returns when it has max or the wait is over (the wait adds to the lag). */
    public List<BusChange> fetch(int max, Duration wait) {
        List<BusChange> out = new ArrayList<>();
        for (Message m : subscription.fetch(max, wait)) {
            if (!m.isJetStream()) {
                continue;
            }
            String subject = m.getSubject();
            out.add(new BusChange(Integer.parseInt(subject.substring(subject.lastIndexOf('.') + 1)),
                    Long.parseLong(m.getHeaders().getFirst(JetStreamRelay.CELL)),
                    Long.parseLong(m.getHeaders().getFirst(JetStreamRelay.VERSION)),
                    Long.parseLong(m.getHeaders().getFirst(JetStreamRelay.COMMITTED_AT)), m.getData(), m));
            lastFetched = m;
        }
        return out;
    }

    /** Acknowledges everything fetched so far (one acknowledgement covers all before it). */
    public void acknowledge() {
        if (lastFetched != null) {
            lastFetched.ack();
            lastFetched = null;
        }
    }

    /** Stops reading; the durable consumer and its acknowledged floor stay on the server. */
    @Override
    public void close() {
        subscription.unsubscribe();
    }
}
