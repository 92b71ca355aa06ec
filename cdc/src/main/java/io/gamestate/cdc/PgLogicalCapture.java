package io.gamestate.cdc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * PostgreSQL logical decoding with the built-in {@code pgoutput} plugin, through the JDBC
 * driver's replication protocol: a publication of the outbox's inserts, a replication slot per
 * consumer. The slot is the durable offset: the server keeps the log from the slot's confirmed
 * position on, and the capture confirms a transaction only after its sink took it.
 */
final class PgLogicalCapture extends ChangeCapture {

    static final String PUBLICATION = "gamestate_changes";

    PgLogicalCapture(CaptureSettings settings) {
        super(settings);
    }

    @Override
    protected void session(ChangeSink sink) throws Exception {
        try (Connection admin = connect(false)) {
            ensurePublication(admin);
            if (settings.durable()) {
                ensureSlot(admin);
            }
        }
        try (Connection c = connect(true)) {
            PGConnection pg = c.unwrap(PGConnection.class);
            if (!settings.durable()) {
                // Bound to this connection: the server drops it when the capture goes, however it goes.
                pg.getReplicationAPI().createReplicationSlot().logical().withSlotName(settings.consumer())
                        .withOutputPlugin("pgoutput").withTemporaryOption().make();
            }
            PGReplicationStream stream = pg.getReplicationAPI().replicationStream().logical()
                    .withSlotName(settings.consumer())
                    .withSlotOption("proto_version", 1)
                    .withSlotOption("publication_names", PUBLICATION)
                    .withStatusInterval(1, TimeUnit.SECONDS)
                    .start();
            connected(sink);
            read(stream, sink);
        }
    }

    private void read(PGReplicationStream stream, ChangeSink sink) throws Exception {
        Decoder decoder = new Decoder();
        HandedTransactions<LogSequenceNumber> handed = new HandedTransactions<>();
        while (running()) {
            ByteBuffer message = stream.readPending();
            if (message == null) {
                confirm(stream, handed.taken());
                // readPending, not read: a blocked read holds the connection's lock, so close could not wake it.
                Thread.sleep(1);
                continue;
            }
            LogSequenceNumber committed = decoder.decode(message);
            if (committed != null) {
                handed.add(decoder.transaction.isEmpty() ? ChangeSink.TAKEN : sink.committed(List.copyOf(decoder.transaction)),
                        committed);
                confirm(stream, handed.taken());
            }
        }
        confirm(stream, handed.settle());
        stream.forceUpdateStatus();
    }

    /** The slot's position moves to what the sink took (sent to the server with the next status update). */
    private static void confirm(PGReplicationStream stream, LogSequenceNumber taken) {
        if (taken != null) {
            stream.setAppliedLSN(taken);
            stream.setFlushedLSN(taken);
        }
    }

    /**
     * The pgoutput protocol (version 1) messages the outbox produces: Relation (the table's columns),
     * Begin, Insert and Commit; the others are not about the outbox's inserts.
     */
    private static final class Decoder {
        private final Map<Integer, List<String>> relations = new HashMap<>();
        private final Map<Integer, Boolean> outbox = new HashMap<>();
        final List<CapturedChange> transaction = new ArrayList<>();

        /** The end of the transaction when the message is its commit, else null. */
        LogSequenceNumber decode(ByteBuffer m) {
            switch (m.get()) {
                case 'B' -> transaction.clear();
                case 'R' -> relation(m);
                case 'I' -> insert(m);
                case 'C' -> {
                    m.get(); // flags
                    m.getLong(); // commit LSN
                    return LogSequenceNumber.valueOf(m.getLong());
                }
                default -> {
                }
            }
            return null;
        }

        private void relation(ByteBuffer m) {
            int id = m.getInt();
            cstring(m); // namespace
            String name = cstring(m);
            m.get(); // replica identity
            int count = m.getShort();
            List<String> columns = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                m.get(); // flags
                columns.add(cstring(m));
                m.getInt(); // type
                m.getInt(); // type modifier
            }
            relations.put(id, columns);
            outbox.put(id, TABLE.equals(name));
        }

        private void insert(ByteBuffer m) {
            int id = m.getInt();
            if (!outbox.getOrDefault(id, false)) {
                return;
            }
            m.get(); // 'N': a new tuple follows
            List<String> columns = relations.get(id);
            int count = m.getShort();
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < count; i++) {
                byte kind = m.get();
                if (kind == 't') {
                    byte[] text = new byte[m.getInt()];
                    m.get(text);
                    row.put(columns.get(i), new String(text, StandardCharsets.UTF_8));
                }
            }
            transaction.add(new CapturedChange(Integer.parseInt(row.get("superblock_id")), Long.parseLong(row.get("cell_id")),
                    Long.parseLong(row.get("cell_version")), Long.parseLong(row.get("committed_at")),
                    HexFormat.of().parseHex(row.get("payload").substring(2)))); // bytea text form: \x then hex
        }

        private static String cstring(ByteBuffer m) {
            int start = m.position();
            while (m.get() != 0) {
                // to the terminating zero
            }
            return new String(m.array(), m.arrayOffset() + start, m.position() - start - 1, StandardCharsets.UTF_8);
        }
    }

    private void ensurePublication(Connection admin) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE PUBLICATION " + PUBLICATION + " FOR TABLE " + TABLE + " WITH (publish = 'insert')");
        } catch (SQLException e) {
            if (!"42710".equals(e.getSQLState())) { // duplicate_object: created before, by this or another consumer
                throw e;
            }
        }
    }

    private void ensureSlot(Connection admin) throws SQLException {
        try (PreparedStatement s = admin.prepareStatement(
                "SELECT pg_create_logical_replication_slot(?, 'pgoutput') WHERE NOT EXISTS"
                        + " (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)")) {
            s.setString(1, settings.consumer());
            s.setString(2, settings.consumer());
            s.execute();
        }
    }

    @Override
    public long lagBytes() {
        try (Connection admin = connect(false);
             PreparedStatement s = admin.prepareStatement("SELECT pg_current_wal_lsn() - confirmed_flush_lsn"
                     + " FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, settings.consumer());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    @Override
    public void drop() {
        try (Connection admin = connect(false);
             PreparedStatement s = admin.prepareStatement("SELECT pg_drop_replication_slot(slot_name)"
                     + " FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, settings.consumer());
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop replication slot " + settings.consumer(), e);
        }
    }

    @Override
    protected void interrupt() {
        // The session sees running() turn false within a millisecond (readPending does not block).
    }

    private Connection connect(boolean forReplication) throws SQLException {
        Properties props = new Properties();
        PGProperty.USER.set(props, settings.user());
        PGProperty.PASSWORD.set(props, settings.password());
        PGProperty.CONNECT_TIMEOUT.set(props, 5);
        if (forReplication) {
            PGProperty.REPLICATION.set(props, "database");
            PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
            PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        }
        String url = "jdbc:postgresql://" + settings.host() + ":" + settings.port() + "/" + settings.database();
        Connection c = new org.postgresql.Driver().connect(url, props);
        if (c == null) {
            throw new SQLException("the PostgreSQL driver does not take " + url);
        }
        return c;
    }
}
