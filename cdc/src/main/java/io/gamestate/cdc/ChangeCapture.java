package io.gamestate.cdc;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Reads the {@code change_log} rows from the store's own log (PostgreSQL logical decoding,
 * MariaDB row binlog) on a thread of its own and hands them to a sink, one committed transaction
 * at a time. It reconnects after any failure (a store restart, a sink that threw) and resumes at
 * its offset: delivery is at least once, in commit order, and a consumer that keeps each cell's
 * last version drops the repeats, so it sees every cell version exactly once and in order.
 */
public abstract class ChangeCapture implements AutoCloseable {

    /** The outbox table the capture follows. */
    public static final String TABLE = "change_log";

    private static final Logger LOG = Logger.getLogger(ChangeCapture.class);
    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(500);

    protected final CaptureSettings settings;
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private volatile boolean running;
    private volatile boolean connected;
    private volatile String lastFailure;

    protected ChangeCapture(CaptureSettings settings) {
        this.settings = settings;
    }

    public static ChangeCapture of(CaptureSettings settings) {
        return settings.log() == CaptureSettings.Log.LOGICAL_DECODING ? new PgLogicalCapture(settings) : new BinlogCapture(settings);
    }

    /** Starts the capture thread; the sink is called on it. */
    public void start(ChangeSink sink) {
        running = true;
        Thread t = new Thread(() -> loop(sink), "cdc-" + settings.consumer());
        t.setDaemon(true);
        if (!thread.compareAndSet(null, t)) {
            throw new IllegalStateException("capture " + settings.consumer() + " already started");
        }
        t.start();
    }

    private void loop(ChangeSink sink) {
        while (running) {
            try {
                session(sink);
            } catch (Exception e) {
                if (running) {
                    lastFailure = e.toString();
                    LOG.warnf("capture %s lost its connection to the log (%s); reconnecting", settings.consumer(), e.toString());
                }
            } finally {
                connected = false;
            }
            pause();
        }
    }

    /**
     * One connection's run: connects, calls {@link #connected(ChangeSink)} once reading, hands each
     * committed transaction to the sink and acknowledges it, until {@link #running()} is false or
     * the connection fails.
     */
    protected abstract void session(ChangeSink sink) throws Exception;

    /** Called by {@link #session} once the log is being read. */
    protected final void connected(ChangeSink sink) {
        connected = true;
        sink.connected();
    }

    protected final boolean running() {
        return running;
    }

    /** Why the last connection to the log ended or failed (null if none did): for reports and alarms. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Whether the capture is reading the log now. */
    public boolean isConnected() {
        return connected;
    }

    /**
     * Bytes of log the store keeps for this consumer that it has not acknowledged yet: what an
     * unconsumed slot (or a stalled reader) makes the store hold on disk. -1 when unknown.
     */
    public abstract long lagBytes();

    /** Removes the consumer's position from the store and disk for good (the slot, the offset file). */
    public abstract void drop();

    /** Stops reading; a durable capture keeps its position, acknowledged up to the last transaction its sink took. */
    @Override
    public void close() {
        running = false;
        interrupt();
        Thread t = thread.get();
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Wakes a session blocked on the log so that it sees {@link #running()} turn false. */
    protected abstract void interrupt();

    private void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
