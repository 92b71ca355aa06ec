package io.gamestate.query.repository;

import io.gamestate.store.SqlDialect;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gamestate.proto.state.v1.ChangeEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads of the transactional outbox, keyed by (cell_id, cell_version). */
@ApplicationScoped
public class ChangeLogRepository {

    private static final String RANGE = "SELECT cell_id, cell_version, payload FROM change_log"
            + " WHERE cell_id = ? AND cell_version > ? ORDER BY cell_id, cell_version LIMIT ?";

    private final SqlDialect dialect;

    public ChangeLogRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Events after each cell's cursor, by cell then version: one primary-key range per cell. One
     * statement reads one snapshot, in which each cell's versions are a gap-free prefix, so the
     * rows of a cell are consecutive versions even when the limit cuts them. Each range is a
     * UNION ALL branch of its own: a key range scan whatever the statistics say (an OR of the
     * ranges, on a change_log nothing had analyzed yet, was planned as a walk of the whole key).
     */
    public Uni<List<ChangeEvent>> after(Map<Long, Long> cursors, int limit) {
        List<Object> params = new ArrayList<>();
        List<String> ranges = new ArrayList<>();
        cursors.forEach((cellId, version) -> {
            ranges.add(RANGE);
            params.add(cellId);
            params.add(version);
            params.add((long) limit);
        });
        // A lone parenthesized SELECT is the SELECT itself to PostgreSQL: no second ORDER BY on it.
        String sql = ranges.size() == 1 ? RANGE
                : "(" + String.join(") UNION ALL (", ranges) + ") ORDER BY cell_id, cell_version LIMIT ?";
        if (ranges.size() > 1) {
            params.add((long) limit);
        }
        return dialect.query(sql, Tuple.from(params)).map(rows -> {
            List<ChangeEvent> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(event(r.getLong(0), r.getLong(1), r.getBuffer(2).getBytes()));
            }
            return out;
        });
    }

    /** A change_log row's event; the key columns are authoritative for its position in the stream. */
    public static ChangeEvent event(long cellId, long cellVersion, byte[] payload) {
        try {
            return ChangeEvent.parseFrom(payload).toBuilder().setCellId(cellId).setCellVersion(cellVersion).build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a change_log payload is not a ChangeEvent", e);
        }
    }
}
