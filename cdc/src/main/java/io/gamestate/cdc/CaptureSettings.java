package io.gamestate.cdc;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a capture reads and what it keeps.
 *
 * @param log which log: PostgreSQL's logical decoding, or the MariaDB (MySQL) row binlog
 * @param consumer names the consumer's position in the log: the replication slot on PostgreSQL,
 *     the replica server id and offset file on MariaDB (letters, digits and underscores)
 * @param durable a durable capture keeps its position across restarts and crashes (a permanent
 *     slot; a binlog offset file in {@code offsetDir}); otherwise it starts at the head of the log
 *     each time it connects and leaves nothing behind (a temporary slot)
 */
public record CaptureSettings(Log log, String host, int port, String database, String user,
        String password, String consumer, boolean durable, Optional<Path> offsetDir) {

    public CaptureSettings {
        if (!consumer.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("a capture consumer name is lower-case letters, digits and underscores: " + consumer);
        }
        if (durable && log == Log.BINLOG && offsetDir.isEmpty()) {
            throw new IllegalArgumentException("a durable binlog capture needs a directory for its offset file");
        }
    }

    /** The store's own log a capture reads; it follows from the store family (PostgreSQL or MySQL wire). */
    public enum Log {
        LOGICAL_DECODING, BINLOG
    }
}
