package io.gamestate.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.state.config.StatementCache;
import io.gamestate.state.repository.RmwRepository;
import io.gamestate.store.SqlDialect;
import io.gamestate.store.StoreFamily;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** How every pooled connection is set up for the RMW path. */
@QuarkusTest
class StoreSessionTest {

    @Inject
    TestWorld world;

    @Inject
    SqlDialect dialect;

    @Inject
    RmwRepository repository;

    /** READ COMMITTED, the level the RMW path is written for. */
    @Test
    void pooledConnectionsReadCommitted() {
        String level = dialect.family() == StoreFamily.MYSQL
                ? world.rows("SELECT @@session.tx_isolation").get(0).getString(0)
                : world.rows("SELECT current_setting('transaction_isolation')").get(0).getString(0);
        assertThat(level.replace('-', ' ').toLowerCase()).isEqualTo("read committed");
    }

    /** Each many-row write is prepared once per connection, not parsed and planned at every run. */
    @Test
    void manyRowWritesFitThePreparedStatementCache() {
        assertThat(repository.longestWrite()).isGreaterThan(2048).isLessThanOrEqualTo(StatementCache.SQL_LIMIT);
    }
}
