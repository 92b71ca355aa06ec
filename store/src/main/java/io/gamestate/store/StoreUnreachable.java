package io.gamestate.store;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.util.Set;

/**
 * Whether a failure means the store is out of reach (refused, reset, shut down, starting up, cut
 * off from its cluster) on every supported engine: the services answer it with UNAVAILABLE.
 */
public final class StoreUnreachable {

    /** SQLSTATE classes and codes of a server that is gone, shutting down or not yet up. */
    private static final Set<String> SQLSTATE_CLASSES = Set.of("08");  // connection exception
    private static final Set<String> SQLSTATES = Set.of(
            "57P01", "57P02", "57P03");                      // PostgreSQL admin/crash shutdown, starting up
    private static final Set<Integer> ERROR_CODES = Set.of(
            1053, 1077, 1927, 2002, 2003, 2006, 2013,        // MySQL, MariaDB: shutdown, killed, gone, lost
            1047,                                            // Galera: node not in the primary component (cut off, joining)
            1180);                                           // error during COMMIT; Galera: lost the primary component mid-commit

    private StoreUnreachable() {
    }

    /** The failure or one of its causes says the store cannot be reached. */
    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClosedConnectionException || t instanceof IOException) {
                return true;  // ConnectException, connection reset, closed channel
            }
            if (t instanceof DatabaseException db) {
                String state = db.getSqlState() == null ? "" : db.getSqlState();
                return SQLSTATES.contains(state) || ERROR_CODES.contains(db.getErrorCode())
                        || state.length() == 5 && SQLSTATE_CLASSES.contains(state.substring(0, 2));
            }
            if (t.getClass().getName().startsWith("io.vertx.") && t.getMessage() != null
                    && t.getMessage().toLowerCase().contains("connection")) {
                return true;  // the pool's "Connection is not active now", "Connection was closed"
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
