package io.gamestate.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.store.SqlDialect;
import io.gamestate.store.StoreFamily;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Every pooled connection runs READ COMMITTED, the level the RMW path is written for. */
@QuarkusTest
class StoreSessionTest {

    @Inject
    TestWorld world;

    @Inject
    SqlDialect dialect;

    @Test
    void pooledConnectionsReadCommitted() {
        String level = dialect.family() == StoreFamily.MYSQL
                ? world.rows("SELECT @@session.tx_isolation").get(0).getString(0)
                : world.rows("SELECT current_setting('transaction_isolation')").get(0).getString(0);
        assertThat(level.replace('-', ' ').toLowerCase()).isEqualTo("read committed");
    }
}
