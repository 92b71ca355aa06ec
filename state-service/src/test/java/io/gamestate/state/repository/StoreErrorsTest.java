package io.gamestate.state.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.state.rules.RetryableStoreException;
import io.vertx.mysqlclient.MySQLBatchException;
import io.vertx.mysqlclient.MySQLException;
import org.junit.jupiter.api.Test;

/**
 * Galera's answers as the MySQL client reports them (code and message as MariaDB 10.11 with
 * galera-4 sends them): the fault scenarios meet them on a real cluster; this pins the mapping.
 */
class StoreErrorsTest {

    @Test
    void aCertificationFailureAtCommitIsRetried() {
        Throwable classified = StoreErrors.classify(
                new MySQLException("Deadlock found when trying to get lock; try restarting transaction", 1213, "40001"));
        assertThat(classified).isInstanceOf(RetryableStoreException.class);
        assertThat(((RetryableStoreException) classified).reason()).isEqualTo("deadlock");
    }

    /** The MySQL client reports a failed row of a pipelined batch inside a MySQLBatchException. */
    @Test
    void aCertificationFailureInsideABatchIsRetriedAndADuplicateKeyInsideOneIsSeen() {
        MySQLBatchException aborted = new MySQLBatchException();
        aborted.reportError(0, new MySQLException("Deadlock found when trying to get lock; try restarting transaction", 1213, "40001"));
        assertThat(StoreErrors.classify(aborted)).isInstanceOf(RetryableStoreException.class);

        MySQLBatchException duplicate = new MySQLBatchException();
        duplicate.reportError(1, new MySQLException("Duplicate entry '116-7' for key 'PRIMARY'", 1062, "23000"));
        assertThat(StoreErrors.isUniqueViolation(duplicate)).isTrue();
        assertThat(StoreErrors.classify(duplicate)).isSameAs(duplicate.getIterationError().get(1));
    }

    @Test
    void aNodeOutsideThePrimaryComponentIsUnavailable() {
        assertThat(StoreErrors.classify(new MySQLException("WSREP has not yet prepared node for application use", 1047, "08S01")))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(StoreErrors.classify(new MySQLException("Error while appending streaming replication fragment"
                + "(provider status: Not connected to Primary Component)", 1180, "HY000")))
                .isInstanceOf(StoreUnavailableException.class);
    }
}
