package io.gamestate.state.config;

import io.vertx.sqlclient.SqlConnectOptions;
import java.util.List;

/**
 * Each pool connection prepares a statement once and keeps it
 * ({@code quarkus.datasource.reactive.cache-prepared-statements}), but by default only
 * statements of up to 2,048 characters: longer ones are parsed and planned again at every run.
 * The RMW path's writes of many rows in one statement are longer (about 10,000 characters for
 * 64 entity rows on PostgreSQL), so the limit is raised to take them.
 */
public final class StatementCache {

    public static final int SQL_LIMIT = 16_384;

    private StatementCache() {
    }

    static void raiseLimit(List<? extends SqlConnectOptions> options) {
        options.forEach(o -> o.setPreparedStatementCacheSqlLimit(SQL_LIMIT));
    }
}
