package io.gamestate.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Statements are written once, in the SQL both families understand, with {@code ?} markers; the
 * PostgreSQL wire wants numbered {@code $n} markers instead. That, the words of an upsert and a
 * join by index lookups are the only differences the services' statements have to bridge.
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

    /**
     * The values of an IN list, padded to the next power of two by repeating the last one (a
     * repeat changes nothing in an IN list). Each connection caches its prepared statements, 256
     * by default: with lists of a few lengths only, the statements of every batch size fit, where
     * lists of every length would evict each other and be parsed and planned again.
     */
    public static List<Object> inList(Collection<?> values) {
        List<Object> padded = new ArrayList<>(values);
        while (Integer.bitCount(padded.size()) > 1) {
            padded.add(padded.get(padded.size() - 1));
        }
        return padded;
    }

    /** "(?, ?), (?, ?)" for the VALUES of an INSERT of n rows of the given width. */
    public static String rows(int width, int n) {
        return String.join(", ", Collections.nCopies(n, "(" + markers(width) + ")"));
    }

    /**
     * The tail of an INSERT that turns it into an update of the row already stored under the
     * same key: each {@code replaced} column takes the inserted value, each {@code added} column
     * adds it. PostgreSQL's ON CONFLICT, the MySQL family's ON DUPLICATE KEY UPDATE: each
     * family's way to write many rows by key in one statement.
     */
    public String onConflictUpdate(String table, String key, List<String> replaced, List<String> added) {
        Function<String, String> inserted = family == StoreFamily.MYSQL ? c -> "VALUES(" + c + ")" : c -> "EXCLUDED." + c;
        Stream<String> assignments = Stream.concat(replaced.stream().map(c -> c + " = " + inserted.apply(c)),
                added.stream().map(c -> c + " = " + table + "." + c + " + " + inserted.apply(c)));
        return (family == StoreFamily.MYSQL ? " ON DUPLICATE KEY UPDATE " : " ON CONFLICT (" + key + ") DO UPDATE SET ")
                + assignments.collect(Collectors.joining(", "));
    }

    /**
     * A join to the rows of {@code table} whose {@code column} equals {@code outer}, found by one
     * index lookup per outer row: the step of a recursive walk down the parent links. PostgreSQL
     * plans a prepared walk once for any root and cannot see how few rows it holds: its generic plan
     * merged the walk with the whole parent index (17 ms a walk of 3 rows on a world of 1M entities,
     * 0.3 ms by lookups), so there the rows come from a LATERAL subquery that OFFSET 0 keeps from
     * being flattened into a join. The MySQL family, which has no LATERAL, looks rows up by index on
     * its own.
     */
    public String lookupJoin(String table, String alias, String column, String outer) {
        return family == StoreFamily.MYSQL ? " JOIN " + table + " " + alias + " ON " + alias + "." + column + " = " + outer
                : " CROSS JOIN LATERAL (SELECT * FROM " + table + " WHERE " + column + " = " + outer + " OFFSET 0) " + alias;
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
