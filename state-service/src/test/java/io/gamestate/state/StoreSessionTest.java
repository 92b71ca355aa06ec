package io.gamestate.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamestate.state.config.StatementCache;
import io.gamestate.state.repository.RmwRepository;
import io.gamestate.store.SqlDialect;
import io.gamestate.store.StoreFamily;
import io.gamestate.store.testing.GenericPlans;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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

    /**
     * A keyed read prepared while its table is small keeps an index plan: a generic plan made on a
     * few pages is a sequential scan otherwise, kept until the table is analyzed, however large it grows.
     */
    @Test
    void keyedReadsPlannedOnASmallTableUseTheIndex() {
        assumeTrue(dialect.family() == StoreFamily.POSTGRESQL, "generic plans are PostgreSQL's");
        String keys = IntStream.rangeClosed(1, 16).mapToObj(i -> "$" + i).collect(Collectors.joining(", "));
        String values = IntStream.rangeClosed(1, 16).mapToObj(i -> "'k" + i + "'").collect(Collectors.joining(", "));
        List<String> plan = new ArrayList<>();
        world.pool().withTransaction(c -> c.query("CREATE TEMP TABLE small_requests (LIKE rmw_request INCLUDING ALL) ON COMMIT DROP").execute()
                .chain(() -> c.query("INSERT INTO small_requests SELECT md5(g::text), 1, '\\x00', 1 FROM generate_series(1, 300) g").execute())
                .chain(() -> c.query("ANALYZE small_requests").execute())
                .chain(() -> c.query("SET LOCAL plan_cache_mode = force_generic_plan").execute())
                .chain(() -> c.query("PREPARE keyed_read AS SELECT request_id, result FROM small_requests WHERE request_id IN ("
                        + keys + ")").execute())
                .chain(() -> c.query("EXPLAIN EXECUTE keyed_read(" + values + ")").execute())
                .invoke(rows -> rows.forEach(r -> plan.add(r.getString(0))))
                .chain(() -> c.query("DEALLOCATE keyed_read").execute()))
                .await().atMost(TestWorld.WAIT);
        assertThat(String.join("\n", plan)).contains("small_requests_pkey").doesNotContain("Seq Scan");
    }

    /**
     * A subtree walk finds each node's children by index lookups, however many children the
     * table's statistics promise a node: planned for any root, the walk otherwise merged with the
     * whole parent index (17 ms for 3 rows on a world of 1M entities, 0.3 ms by lookups).
     */
    @Test
    void subtreeWalksLookUpChildrenByIndexOnABigWorld() {
        assumeTrue(dialect.family() == StoreFamily.POSTGRESQL, "generic plans are PostgreSQL's");
        assertThat(GenericPlans.onSkewedWorld(world.pool(), dialect.sql(repository.subtreeWalk(1)), "100001"))
                .contains("Recursive Union", "entity_parent_id_idx")
                .doesNotContain("Merge Join", "Hash Join", "Seq Scan");
    }

    /**
     * No plan is compiled to machine code, however costly its estimate: a subtree walk's generic plan
     * is estimated past PostgreSQL's JIT threshold, and compiling it took a hundred times the walk.
     */
    @Test
    void plansAreNotCompiled() {
        assumeTrue(dialect.family() == StoreFamily.POSTGRESQL, "JIT compilation of plans is PostgreSQL's");
        List<String> plan = new ArrayList<>();
        world.pool().withTransaction(c -> c.query("SET LOCAL jit_above_cost = 0").execute()
                .chain(() -> c.query("PREPARE walk AS " + dialect.sql(repository.subtreeWalk(1))).execute())
                .chain(() -> c.query("EXPLAIN (ANALYZE) EXECUTE walk(1)").execute())
                .invoke(rows -> rows.forEach(r -> plan.add(r.getString(0))))
                .chain(() -> c.query("DEALLOCATE walk").execute()))
                .await().atMost(TestWorld.WAIT);
        assertThat(String.join("\n", plan)).contains("Recursive Union").doesNotContain("JIT");
    }
}
