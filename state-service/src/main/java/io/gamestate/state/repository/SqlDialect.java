package io.gamestate.state.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Statements are written once, in the SQL both families understand, with {@code ?} markers; the
 * PostgreSQL wire wants numbered {@code $n} markers instead. That is the only difference the
 * hot path has to bridge.
 */
@ApplicationScoped
public class SqlDialect {

    private final StoreFamily family;
    private final Map<String, String> translated = new ConcurrentHashMap<>();

    public SqlDialect(@ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
        this.family = StoreFamily.ofDbKind(dbKind);
    }

    public StoreFamily family() {
        return family;
    }

    public String sql(String portable) {
        return family == StoreFamily.MYSQL ? portable : translated.computeIfAbsent(portable, SqlDialect::numbered);
    }

    /** "?, ?, ?" for an IN list of n values. */
    public static String markers(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
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
