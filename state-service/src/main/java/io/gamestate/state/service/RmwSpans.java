package io.gamestate.state.service;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/** Attribute names of the RMW spans, as trace readers and the slow-request report see them. */
final class RmwSpans {

    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("rmw.attempt");
    static final AttributeKey<Long> UNITS = AttributeKey.longKey("rmw.units");
    static final AttributeKey<List<String>> RULES = AttributeKey.stringArrayKey("rmw.rules");
    static final AttributeKey<String> PLANNING = AttributeKey.stringKey("rmw.planning");
    static final AttributeKey<String> STORE_FAMILY = AttributeKey.stringKey("db.store_family");
    static final AttributeKey<String> RETRY_REASON = AttributeKey.stringKey("rmw.retry_reason");
    static final AttributeKey<Long> RETRIES = AttributeKey.longKey("rmw.retries");
    static final AttributeKey<List<String>> RETRY_REASONS = AttributeKey.stringArrayKey("rmw.retry_reasons");
    static final AttributeKey<List<Long>> CELLS = AttributeKey.longArrayKey("rmw.cell_ids");
    static final AttributeKey<Long> ROOTS_LOCKED = AttributeKey.longKey("rmw.roots_locked");
    static final AttributeKey<Long> ROWS_INSERTED = AttributeKey.longKey("rmw.rows_inserted");
    static final AttributeKey<Long> ROWS_UPDATED = AttributeKey.longKey("rmw.rows_updated");
    static final AttributeKey<Long> ROWS_DELETED = AttributeKey.longKey("rmw.rows_deleted");
    static final AttributeKey<Long> CHANGE_EVENTS = AttributeKey.longKey("rmw.change_events");
    static final AttributeKey<Long> REPLAYED = AttributeKey.longKey("rmw.replayed");
    static final AttributeKey<Long> LOST = AttributeKey.longKey("rmw.units_lost");

    private RmwSpans() {
    }
}
