package io.gamestate.state.repository;

import io.gamestate.state.rules.RetryableStoreException;
import io.gamestate.store.StoreUnreachable;
import io.smallrye.mutiny.CompositeException;
import io.vertx.mysqlclient.MySQLBatchException;
import io.vertx.sqlclient.DatabaseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a store error means, on every supported engine: a lost race (run the transaction again),
 * an unreachable store (UNAVAILABLE), or a value the store refuses (INVALID_ARGUMENT).
 */
public final class StoreErrors {

    private static final Map<String, String> RETRY_SQLSTATES = Map.of(
            "40001", "serialization failure",     // PostgreSQL, CockroachDB, YugabyteDB; MySQL deadlocks too
            "40P01", "deadlock");                 // PostgreSQL
    private static final Map<Integer, String> RETRY_ERROR_CODES = Map.of(
            1213, "deadlock",                     // MySQL, MariaDB; on Galera also a certification failure at COMMIT
            1205, "lock wait timeout",            // MySQL, MariaDB
            9007, "write conflict",               // TiDB
            8002, "select for update conflict",   // TiDB
            8005, "optimistic transaction conflict"); // TiDB

    /** Data exceptions: the store refuses a value (out of range, bad character, too long). */
    private static final Set<Integer> REFUSED_VALUE_ERROR_CODES = Set.of(1264, 1366, 1406, 1690); // MySQL, MariaDB

    private StoreErrors() {
    }

    /**
     * The failure as a {@link RetryableStoreException} when a retry can fix it, as a
     * {@link StoreUnavailableException} when the store is out of reach, else unchanged.
     */
    public static Throwable classify(Throwable failure) {
        if (failure instanceof RetryableStoreException || failure instanceof StoreUnavailableException) {
            return failure;
        }
        List<Throwable> parts = parts(failure);
        if (parts.size() != 1 || parts.get(0) != failure) {
            Throwable first = null;
            for (Throwable cause : parts) {
                Throwable classified = classify(cause);
                if (classified instanceof RetryableStoreException || classified instanceof StoreUnavailableException) {
                    return classified;
                }
                first = first == null ? classified : first;
            }
            return first;
        }
        if (StoreUnreachable.is(failure)) {
            return new StoreUnavailableException(failure);
        }
        if (failure instanceof DatabaseException db) {
            String reason = RETRY_ERROR_CODES.get(db.getErrorCode());
            if (reason == null) {
                reason = RETRY_SQLSTATES.get(db.getSqlState());
            }
            if (reason != null) {
                return new RetryableStoreException(reason, failure);
            }
        }
        return failure;
    }

    /** The store refused a value of the unit: the caller's input, not a bug of the service. */
    public static boolean isRefusedValue(Throwable failure) {
        return failure instanceof DatabaseException db
                && (db.getSqlState() != null && db.getSqlState().startsWith("22")
                    || REFUSED_VALUE_ERROR_CODES.contains(db.getErrorCode()));
    }

    public static boolean isUniqueViolation(Throwable failure) {
        if (failure instanceof MySQLBatchException || failure instanceof CompositeException) {
            return parts(failure).stream().anyMatch(StoreErrors::isUniqueViolation);
        }
        return failure instanceof DatabaseException db
                && ("23505".equals(db.getSqlState()) || db.getErrorCode() == 1062);
    }

    /**
     * The failures one failure carries: a Mutiny composite's causes, or each failed row of a MySQL
     * batch (the MySQL client reports a batch's errors, a deadlock or Galera's certification
     * failure among them, inside one MySQLBatchException).
     */
    private static List<Throwable> parts(Throwable failure) {
        if (failure instanceof CompositeException composite) {
            return composite.getCauses();
        }
        if (failure instanceof MySQLBatchException batch && !batch.getIterationError().isEmpty()) {
            return new ArrayList<>(new TreeMap<>(batch.getIterationError()).values());
        }
        return List.of(failure);
    }
}
