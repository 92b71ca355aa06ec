package io.gamestate.state.repository;

import io.gamestate.store.Columns;
import io.gamestate.store.SqlDialect;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An INSERT of many rows in few statements: one statement for each power of two in the row
 * count, {@link #MAX_ROWS} rows at most. The store runs one statement of many rows for much less
 * than as many statements of one row (with pgbench on PostgreSQL, a 16-transfer transaction
 * written row by row ran at 0.7-0.8x the rate of one written a statement per table, both
 * pipelined; on the MySQL family each statement is a command of its own), and row counts in
 * powers of two keep the statement texts few enough for each connection's prepared-statement
 * cache.
 */
final class ManyRows {

    static final int MAX_ROWS = 64;

    private final List<String> columns;
    /** The statement for 2^k rows at index k, translated for the store's family. */
    private final String[] statements = new String[Integer.numberOfTrailingZeros(MAX_ROWS) + 1];

    /** {@code tail} follows the VALUES: an upsert's {@link SqlDialect#onConflictUpdate}, or nothing. */
    ManyRows(SqlDialect dialect, String table, List<String> columns, String tail) {
        this.columns = columns;
        for (int k = 0; k < statements.length; k++) {
            statements[k] = dialect.sql("INSERT INTO " + table + " (" + Columns.list(columns) + ") VALUES "
                    + SqlDialect.rows(columns.size(), 1 << k) + tail);
        }
    }

    /** The longest statement text, which the prepared-statement cache must take. */
    int longestStatement() {
        return statements[statements.length - 1].length();
    }

    /** Writes the rows in their order, each an array of values in the order of the columns; statements pipelined. */
    Uni<Void> write(SqlConnection c, List<Object[]> rows) {
        List<Uni<?>> writes = new ArrayList<>();
        for (int from = 0; from < rows.size(); ) {
            int n = Integer.highestOneBit(Math.min(rows.size() - from, MAX_ROWS));
            List<Object> values = new ArrayList<>(n * columns.size());
            for (Object[] row : rows.subList(from, from + n)) {
                values.addAll(Arrays.asList(row));
            }
            writes.add(c.preparedQuery(statements[Integer.numberOfTrailingZeros(n)]).execute(Tuple.from(values)));
            from += n;
        }
        return writes.isEmpty() ? Uni.createFrom().voidItem() : Uni.combine().all().unis(writes).collectFailures().discardItems();
    }
}
