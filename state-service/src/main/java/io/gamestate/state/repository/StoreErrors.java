package io.gamestate.state.repository;

import io.gamestate.state.rules.RetryableStoreException;
import io.smallrye.mutiny.CompositeException;
import io.vertx.sqlclient.DatabaseException;
import java.util.Map;

/** Which store errors mean "lost a race, run the transaction again", on every supported engine. */
public final class StoreErrors {

    private static final Map<String, String> RETRY_SQLSTATES = Map.of(
            "40001", "serialization failure",     // PostgreSQL, CockroachDB, YugabyteDB; MySQL deadlocks too
            "40P01", "deadlock");                 // PostgreSQL
    private static final Map<Integer, String> RETRY_ERROR_CODES = Map.of(
            1213, "deadlock",                     // MySQL, MariaDB
            1205, "lock wait timeout",            // MySQL, MariaDB
            9007, "write conflict",               // TiDB
            8002, "select for update conflict",   // TiDB
            8005, "optimistic transaction conflict"); // TiDB

    private StoreErrors() {
    }

    /** The failure as a {@link RetryableStoreException} when a retry can fix it, else unchanged. */
    public static Throwable classify(Throwable failure) {
        if (failure instanceof RetryableStoreException) {
            return failure;
        }
        if (failure instanceof CompositeException composite) {
            for (Throwable cause : composite.getCauses()) {
                Throwable classified = classify(cause);
                if (classified instanceof RetryableStoreException) {
                    return classified;
                }
            }
            return composite.getCauses().get(0);
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

    public static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof DatabaseException db
                && ("23505".equals(db.getSqlState()) || db.getErrorCode() == 1062);
    }
}
