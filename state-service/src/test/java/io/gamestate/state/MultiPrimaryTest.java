package io.gamestate.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.state.model.EntityRecord;
import io.gamestate.state.repository.RmwRepository;
import io.gamestate.state.repository.StoreErrors;
import io.gamestate.state.rules.RetryableStoreException;
import io.gamestate.store.SqlDialect;
import io.gamestate.store.StoreConfig;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * On a multi-primary store a row lock is only its node's: a write set committed through another
 * node is applied here without waiting for this node's locks on other rows. The race of a unit
 * that relinks an item: it locks the item's root, reads a row of the root's tree, another node
 * changes that row and commits, then the unit writes back what it read. Both orders are forced
 * step by step on a two-node Galera cluster, with state-service's own statements for the reads.
 */
@QuarkusTest
@QuarkusTestResource(value = OwnGalera.class, restrictToAnnotatedClass = true)
@EnabledIfSystemProperty(named = "quarkus.test.profile", matches = ".*mysql.*",
        disabledReason = "a MariaDB Galera cluster of its own")
class MultiPrimaryTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final long WRITTEN_THROUGH_NODE_2 = 100;

    @Inject
    TestWorld world;

    @Inject
    RmwRepository repository;

    @Inject
    SqlDialect dialect;

    @Test
    void aTreeRowReadUnderItsRootsLockAbortsTheReaderWhenAnotherNodeWritesIt() throws SQLException {
        long[] tree = rootWithItem();
        long before = amountOnNode(1, tree[1]);

        Throwable failure = readUnderRootLockThenWriteBack(repository, tree);

        assertThat(failure).as("the reader's transaction, aborted by the write set it had locked out")
                .isInstanceOf(RetryableStoreException.class);
        assertThat(amountOnNode(1, tree[1])).as("the other node's write is kept").isEqualTo(before + WRITTEN_THROUGH_NODE_2);
        assertThat(amountOnNode(2, tree[1])).isEqualTo(before + WRITTEN_THROUGH_NODE_2);
    }

    /** The hazard the lock removes, shown so the test above is known to force the race. */
    @Test
    void readWithoutTheRowLockTheOtherNodesWriteWouldBeLost() throws SQLException {
        long[] tree = rootWithItem();
        long before = amountOnNode(1, tree[1]);

        Throwable failure = readUnderRootLockThenWriteBack(new RmwRepository(dialect, singlePrimary()), tree);

        assertThat(failure).as("the stale write commits").isNull();
        assertThat(amountOnNode(1, tree[1])).as("the other node's write is lost").isEqualTo(before + 1);
        assertThat(amountOnNode(2, tree[1])).isEqualTo(before + 1);
    }

    /** A player (a tree root) holding an item: {root, item}. */
    private long[] rootWithItem() {
        long root = world.player(20, 20, 0);
        long item = world.held(EntityKind.ENTITY_KIND_ITEM, root, "ore", 5);
        return new long[] {root, item};
    }

    /**
     * On node 1: BEGIN, lock the root, read the item as a tree row. On node 2: add to the item and
     * commit. Then on node 1, once it has applied node 2's write set: write the item's amount as
     * read plus one, and COMMIT. The failure of that transaction, classified as state-service does, or null.
     */
    private Throwable readUnderRootLockThenWriteBack(RmwRepository reader, long[] tree) throws SQLException {
        SqlConnection c = world.pool().getConnection().await().atMost(WAIT);
        try {
            reader.begin(c).await().atMost(WAIT);
            assertThat(reader.lockRoots(c, List.of(tree[0])).await().atMost(WAIT)).hasSize(1);
            EntityRecord read = reader.treeRows(c, List.of(tree[1])).await().atMost(WAIT).get(0);

            execute(2, "UPDATE entity SET amount = amount + " + WRITTEN_THROUGH_NODE_2 + ", version = version + 1 WHERE id = " + tree[1]);
            assertThat(amountOnNode(1, tree[1])).as("node 1 has applied node 2's write (wsrep_sync_wait)")
                    .isEqualTo(read.amount + WRITTEN_THROUGH_NODE_2);

            return c.preparedQuery(dialect.sql("UPDATE entity SET amount = ?, version = ? WHERE id = ?"))
                    .execute(Tuple.of(read.amount + 1, read.version + 1, tree[1]))
                    .chain(() -> reader.commit(c))
                    .map(done -> (Throwable) null)
                    .onFailure().recoverWithItem(StoreErrors::classify)
                    .await().atMost(WAIT);
        } finally {
            reader.rollback(c).onFailure().recoverWithNull().await().atMost(WAIT);
            c.close().await().atMost(WAIT);
        }
    }

    private static long amountOnNode(int node, long id) throws SQLException {
        try (Connection c = DriverManager.getConnection(OwnGalera.jdbcUrl(node), "root", "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT amount FROM entity WHERE id = " + id)) {
            assertThat(r.next()).isTrue();
            return r.getLong(1);
        }
    }

    private static void execute(int node, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(OwnGalera.jdbcUrl(node), "root", "");
             Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** The same store, read as a single primary: tree rows without their own locks. */
    private static StoreConfig singlePrimary() {
        return new StoreConfig() {
            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public Optional<Integer> port() {
                return Optional.empty();
            }

            @Override
            public String name() {
                return OwnGalera.DATABASE;
            }

            @Override
            public Optional<List<String>> standbys() {
                return Optional.empty();
            }

            @Override
            public boolean multiPrimary() {
                return false;
            }
        };
    }
}
