package io.gamestate.devstack.scorecard;

import io.gamestate.devstack.transfers.BareStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * How stale a read on the standby is, measured while a load runs: every {@code every}
 * milliseconds it takes the primary's WAL position ({@code pg_current_wal_lsn()}, which covers every
 * commit acknowledged so far) and polls the standby until it has replayed that far
 * ({@code pg_last_wal_replay_lsn()}), i.e. until a query there sees those commits. The time between
 * is one lag sample; the resolution is one poll of the standby (well under a millisecond here).
 */
final class ReplicaLag implements AutoCloseable {

    private final Histogram lagMicros = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final Thread prober;
    private volatile boolean running = true;
    private volatile SQLException failure;

    ReplicaLag(BareStore primary, BareStore standby, long everyMillis) {
        prober = new Thread(() -> probe(primary, standby, everyMillis), "replica-lag");
        prober.setDaemon(true);
        prober.start();
    }

    private void probe(BareStore primary, BareStore standby, long everyMillis) {
        try (Connection p = primary.connect(); Connection s = standby.connect();
             Statement position = p.createStatement();
             PreparedStatement replayed = s.prepareStatement("SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
            p.setAutoCommit(true);
            s.setAutoCommit(true);
            while (running) {
                String lsn;
                try (ResultSet rs = position.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                    rs.next();
                    lsn = rs.getString(1);
                }
                long written = System.nanoTime();
                replayed.setString(1, lsn);
                while (running && !reached(replayed)) {
                    Thread.onSpinWait();
                }
                if (running) {
                    synchronized (lagMicros) {
                        lagMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - written)));
                    }
                }
                Thread.sleep(everyMillis);
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean reached(PreparedStatement replayed) throws SQLException {
        try (ResultSet rs = replayed.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Stops probing; the lag samples so far, in microseconds. */
    Histogram stop() throws SQLException, InterruptedException {
        close();
        if (failure != null) {
            throw failure;
        }
        synchronized (lagMicros) {
            return lagMicros.copy();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        prober.join(TimeUnit.SECONDS.toMillis(30));
    }
}
