package io.gamestate.state.config;

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
 */
@Singleton
public class ReadCommittedMySqlPool implements MySQLPoolCreator {

    @Override
    public Pool create(Input input) {
        return MySQLBuilder.pool()
                .with(input.poolOptions())
                .connectingTo(List.copyOf(input.mySQLConnectOptionsList()))
                .using(input.vertx())
                .withConnectHandler(conn -> conn
                        .query("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
                        .execute()
                        .onComplete(done -> conn.close()))
                .build();
    }
}
