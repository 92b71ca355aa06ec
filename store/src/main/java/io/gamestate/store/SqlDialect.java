package io.gamestate.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Statements are written once, in the SQL both families understand, with {@code ?} markers; the
 * PostgreSQL wire wants numbered {@code $n} markers instead. That is the only difference
 * the services' statements have to bridge.
 */
@ApplicationScoped
public class SqlDialect {

    private final StoreFamily family;
    private final Pool pool;
    private final String store;
    private final Map<String, String> translated = new ConcurrentHashMap<>();

    public SqlDialect(@ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind, Pool pool, StoreConfig config) {
        this.family = StoreFamily.ofDbKind(dbKind);
        this.pool = pool;
        this.store = family + " family at " + config.host() + config.port().map(p -> ":" + p).orElse("") + "/" + config.name();
    }

    public StoreFamily family() {
        return family;
    }

    /** Which store this service talks to, for logs and errors. */
    public String store() {
        return store;
    }

    public String sql(String portable) {
        return family == StoreFamily.MYSQL ? portable : translated.computeIfAbsent(portable, SqlDialect::numbered);
    }

    /** Runs a portable statement as a prepared statement on the pool. */
    public Uni<RowSet<Row>> query(String portable, Tuple params) {
        return pool.preparedQuery(sql(portable)).execute(params);
    }

    /** "?, ?, ?" for an IN list of n values. */
    public static String markers(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static String numbered(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int n = 0;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch == '?') {
                out.append('$').append(++n);
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
