package io.gamestate.common.tracing;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * Attribute keys of the RMW spans ({@link SpanNames#RMW_BATCH}, {@link SpanNames#RMW_TRANSACTION}),
 * as state-service writes them and trace readers, dashboards and the slow-request report read them.
 */
public final class RmwSpans {

    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("rmw.attempt");
    public static final AttributeKey<Long> UNITS = AttributeKey.longKey("rmw.units");
    public static final AttributeKey<List<String>> RULES = AttributeKey.stringArrayKey("rmw.rules");
    public static final AttributeKey<String> PLANNING = AttributeKey.stringKey("rmw.planning");
    public static final AttributeKey<String> STORE_FAMILY = AttributeKey.stringKey("db.store_family");
    public static final AttributeKey<String> RETRY_REASON = AttributeKey.stringKey("rmw.retry_reason");
    public static final AttributeKey<Long> RETRIES = AttributeKey.longKey("rmw.retries");
    public static final AttributeKey<List<String>> RETRY_REASONS = AttributeKey.stringArrayKey("rmw.retry_reasons");
    public static final AttributeKey<List<Long>> CELLS = AttributeKey.longArrayKey("rmw.cell_ids");
    public static final AttributeKey<Long> ROOTS_LOCKED = AttributeKey.longKey("rmw.roots_locked");
    public static final AttributeKey<Long> ROWS_INSERTED = AttributeKey.longKey("rmw.rows_inserted");
    public static final AttributeKey<Long> ROWS_UPDATED = AttributeKey.longKey("rmw.rows_updated");
    public static final AttributeKey<Long> ROWS_DELETED = AttributeKey.longKey("rmw.rows_deleted");
    public static final AttributeKey<Long> CHANGE_EVENTS = AttributeKey.longKey("rmw.change_events");
    public static final AttributeKey<Long> REPLAYED = AttributeKey.longKey("rmw.replayed");
    public static final AttributeKey<Long> LOST = AttributeKey.longKey("rmw.units_lost");

    private RmwSpans() {
    }
}
