package io.gamestate.state.config;

import io.gamestate.store.StoreConfig;
import io.quarkus.reactive.mysql.client.MySQLPoolCreator;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * MySQL-family connections run READ COMMITTED, as PostgreSQL does by default: every statement of
 * an RMW-unit then reads the latest committed rows once the unit holds its locks, instead of a
 * snapshot taken at its first read (InnoDB's REPEATABLE READ). TiDB recommends the same level
 * for pessimistic transactions. Only used when the datasource is of the MySQL family.
 *
 * <p>On a multi-primary cluster ({@code gamestate.db.multi-primary}, Galera) with autocommit off.
 * A transaction Galera aborts in the middle (a write set another node committed first) ends its
 * BEGIN; with autocommit on, the statements already pipelined behind the failed one would each
 * commit on their own: half a unit, seen on a Galera cluster as gaps in the change log and gold
 * not conserved. With it off they run in a new implicit transaction that the client's ROLLBACK
 * discards. Statements outside {@code withTransaction} then commit nothing, so every write goes in
 * a transaction; a read outside one leaves its connection in an open read-only transaction (no
 * row locks under READ COMMITTED, but a table's metadata lock until the connection's next
 * transaction, which a schema change waits for).
 */
@Singleton
public class ReadCommittedMySqlPool implements MySQLPoolCreator {

    private final StoreConfig store;

    public ReadCommittedMySqlPool(StoreConfig store) {
        this.store = store;
    }

    @Override
    public Pool create(Input input) {
        StatementCache.raiseLimit(input.mySQLConnectOptionsList());
        return MySQLBuilder.pool()
                .with(input.poolOptions())
                .connectingTo(List.copyOf(input.mySQLConnectOptionsList()))
                .using(input.vertx())
                .withConnectHandler(conn -> {
                    FlushConsolidation.install(conn);
                    conn.query("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
                            .execute()
                            .compose(done -> conn.query("SET SESSION autocommit = " + (store.multiPrimary() ? 0 : 1)).execute())
                            .onComplete(done -> conn.close());
                })
                .build();
    }
}
