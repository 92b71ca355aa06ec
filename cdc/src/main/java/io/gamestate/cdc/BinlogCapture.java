package io.gamestate.cdc;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The MariaDB (and MySQL) row binlog, read as a replica does with mysql-binlog-connector-java.
 * The offset is the binlog file and position after the last transaction the sink took, kept in
 * a file of the consumer's own (the server keeps no position for a replica); it is written at
 * most every {@link #OFFSET_EVERY_MS} ms, so a crash replays at most that much, never skips.
 */
final class BinlogCapture extends ChangeCapture {

    static final long OFFSET_EVERY_MS = 200;
    static final Duration HEARTBEAT = Duration.ofSeconds(1);

    /** A place in the binlog: the start of a transaction. */
    record Offset(String file, long position) {
    }

    private final AtomicReference<BinaryLogClient> client = new AtomicReference<>();
    private volatile Offset acknowledged;
    private long offsetWrittenAt;

    BinlogCapture(CaptureSettings settings) {
        super(settings);
        acknowledged = settings.durable() ? readOffset() : null;
    }

    @Override
    protected void session(ChangeSink sink) throws Exception {
        List<String> columns = checkServerAndReadColumns();
        BinaryLogClient c = new BinaryLogClient(settings.host(), settings.port(), settings.user(), settings.password());
        c.setServerId(serverId());
        c.setKeepAlive(false); // the capture's own loop reconnects, from its acknowledged offset
        c.setHeartbeatInterval(HEARTBEAT.toMillis()); // events while the store is idle: the offset catches up
        Offset from = acknowledged;
        if (from != null) {
            c.setBinlogFilename(from.file());
            c.setBinlogPosition(from.position());
        }
        Reader reader = new Reader(c, sink, columns);
        c.registerEventListener(reader::onEvent);
        c.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onConnect(BinaryLogClient connected) {
                connected(sink);
            }
        });
        client.set(c);
        try {
            if (running()) {
                c.connect(); // returns when the connection ends
            }
        } finally {
            client.set(null);
            acknowledge(reader.handed.settle(), true);
        }
        if (reader.failure != null) {
            throw reader.failure;
        }
    }

    /** Collects a transaction's outbox rows and hands them over at its commit (XID). */
    private final class Reader {
        private final BinaryLogClient c;
        private final ChangeSink sink;
        private final Map<String, Integer> column = new HashMap<>();
        private final Map<Long, Boolean> outboxTables = new HashMap<>();
        private final List<CapturedChange> transaction = new ArrayList<>();
        final HandedTransactions<Offset> handed = new HandedTransactions<>();
        volatile Exception failure;

        Reader(BinaryLogClient c, ChangeSink sink, List<String> columns) {
            this.c = c;
            this.sink = sink;
            for (int i = 0; i < columns.size(); i++) {
                column.put(columns.get(i), i);
            }
        }

        void onEvent(Event event) {
            if (failure != null) {
                return;
            }
            EventType type = event.getHeader().getEventType();
            try {
                if (type == EventType.TABLE_MAP) {
                    TableMapEventData map = event.getData();
                    outboxTables.put(map.getTableId(),
                            settings.database().equals(map.getDatabase()) && TABLE.equals(map.getTable()));
                } else if (EventType.isWrite(type)) {
                    WriteRowsEventData rows = event.getData();
                    if (outboxTables.getOrDefault(rows.getTableId(), false)) {
                        rows.getRows().forEach(row -> transaction.add(change(row)));
                    }
                } else if (type == EventType.XID || isCommitQuery(event)) {
                    handed.add(transaction.isEmpty() ? ChangeSink.TAKEN : sink.committed(List.copyOf(transaction)),
                            new Offset(c.getBinlogFilename(), ((EventHeaderV4) event.getHeader()).getNextPosition()));
                    transaction.clear();
                } else if (type == EventType.MARIADB_GTID || type == EventType.GTID) {
                    transaction.clear();
                }
                acknowledge(handed.taken(), false); // also on heartbeats: what the sink took meanwhile
            } catch (Exception e) {
                // The client would log a listener's exception and read on: stop instead, so that the
                // transaction is read again from the acknowledged offset.
                failure = e;
                disconnect(c);
            }
        }

        private CapturedChange change(Serializable[] row) {
            return new CapturedChange(number(row, "superblock_id").intValue(), number(row, "cell_id").longValue(),
                    number(row, "cell_version").longValue(), number(row, "committed_at").longValue(),
                    (byte[]) row[column.get("payload")]);
        }

        private Number number(Serializable[] row, String name) {
            return (Number) row[column.get(name)];
        }
    }

    private static boolean isCommitQuery(Event event) {
        return event.getHeader().getEventType() == EventType.QUERY
                && "COMMIT".equalsIgnoreCase(((QueryEventData) event.getData()).getSql());
    }

    /** The server must write a row binlog; the outbox's columns in binlog (ordinal) order. */
    private List<String> checkServerAndReadColumns() throws SQLException {
        try (Connection admin = connect(); Statement s = admin.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT @@log_bin, @@binlog_format")) {
                r.next();
                if (r.getInt(1) != 1 || !"ROW".equalsIgnoreCase(r.getString(2))) {
                    throw new IllegalStateException("the store at " + settings.host() + ":" + settings.port()
                            + " writes no row binlog (log_bin=" + r.getInt(1) + ", binlog_format=" + r.getString(2)
                            + "): start it with --log-bin --binlog-format=ROW");
                }
            }
            try (PreparedStatement p = admin.prepareStatement("SELECT column_name FROM information_schema.columns"
                    + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
                p.setString(1, settings.database());
                p.setString(2, TABLE);
                List<String> columns = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        columns.add(r.getString(1).toLowerCase());
                    }
                }
                if (columns.isEmpty()) {
                    throw new IllegalStateException("no table " + TABLE + " in " + settings.database());
                }
                return columns;
            }
        }
    }

    @Override
    public long lagBytes() {
        Offset at = acknowledged;
        if (at == null) {
            return -1;
        }
        try (Connection admin = connect(); Statement s = admin.createStatement();
             ResultSet r = s.executeQuery("SHOW BINARY LOGS")) {
            long lag = 0;
            boolean reached = false;
            while (r.next()) {
                String file = r.getString(1);
                reached |= file.equals(at.file());
                if (reached) {
                    lag += r.getLong(2) - (file.equals(at.file()) ? at.position() : 0);
                }
            }
            return reached ? lag : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    @Override
    public void drop() {
        acknowledged = null;
        try {
            Files.deleteIfExists(offsetFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void interrupt() {
        BinaryLogClient c = client.get();
        if (c != null) {
            disconnect(c);
        }
    }

    private static void disconnect(BinaryLogClient c) {
        try {
            c.disconnect();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Unique among the server's replicas: derived from the consumer name. */
    private long serverId() {
        return 10_000 + (settings.consumer().hashCode() & 0x3fff_ffff);
    }

    private Path offsetFile() {
        return settings.offsetDir().orElseThrow().resolve(settings.consumer() + ".binlog-offset");
    }

    private Offset readOffset() {
        try {
            Path file = offsetFile();
            if (!Files.exists(file)) {
                return null;
            }
            String[] parts = Files.readString(file).trim().split(" ");
            return new Offset(parts[0], Long.parseLong(parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acknowledge(Offset taken, boolean writeNow) {
        if (taken != null) {
            acknowledged = taken;
        }
        writeOffset(writeNow);
    }

    /** Written to a temporary file, synced, then renamed over the offset: a crash leaves the old or the new. */
    private void writeOffset(boolean now) {
        Offset at = acknowledged;
        if (!settings.durable() || at == null || (!now && System.currentTimeMillis() - offsetWrittenAt < OFFSET_EVERY_MS)) {
            return;
        }
        try {
            Path file = offsetFile();
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.UTF_8.encode(at.file() + " " + at.position() + "\n"));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            offsetWrittenAt = System.currentTimeMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the binlog offset of " + settings.consumer(), e);
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", settings.user());
        props.setProperty("password", settings.password());
        String url = "jdbc:mariadb://" + settings.host() + ":" + settings.port() + "/" + settings.database();
        Connection c = new org.mariadb.jdbc.Driver().connect(url, props);
        if (c == null) {
            throw new SQLException("the MariaDB driver does not take " + url);
        }
        return c;
    }
}
