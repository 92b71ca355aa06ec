package io.gamestate.state.config;

import io.gamestate.store.StoreConfig;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * With standbys configured ({@code gamestate.db.standbys}), every new pool connection goes to
 * the node that is the primary now, as libpq's {@code target_session_attrs=read-write} does: the
 * node last found primary is asked first ({@code SELECT pg_is_in_recovery()} on a connection of
 * its own), then the others in order. After the primary dies its connections close and the pool
 * opens new ones, which find the promoted standby: no restart. While no node is primary, a new
 * connection fails as unreachable (UNAVAILABLE to callers). Connections are pooled, so the extra
 * round trip is paid once per connection, not per unit. Only used on the PostgreSQL family.
 */
@Singleton
public class PrimaryPgPool implements PgPoolCreator {

    private static final Logger LOG = Logger.getLogger(PrimaryPgPool.class);

    private final StoreConfig store;

    public PrimaryPgPool(StoreConfig store) {
        this.store = store;
    }

    @Override
    public Pool create(Input input) {
        StatementCache.raiseLimit(input.pgConnectOptionsList());
        List<PgConnectOptions> configured = List.copyOf(input.pgConnectOptionsList());
        var pool = PgBuilder.pool().with(input.poolOptions()).using(input.vertx())
                .withConnectHandler(connection -> {
                    FlushConsolidation.install(connection);
                    connection.close();
                });
        if (store.standbys().isEmpty()) {
            return pool.connectingTo(List.copyOf(configured)).build();
        }
        List<PgConnectOptions> nodes = new ArrayList<>(configured);
        for (String standby : store.standbys().get()) {
            int colon = standby.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("gamestate.db.standbys takes host:port, not " + standby);
            }
            nodes.add(new PgConnectOptions(configured.get(0)).setHost(standby.substring(0, colon))
                    .setPort(Integer.parseInt(standby.substring(colon + 1))));
        }
        return pool.connectingTo(new PrimaryFinder(input.vertx(), nodes)::primary).build();
    }

    /** Finds the primary among the nodes, starting with the one found last time. */
    static final class PrimaryFinder {
        private final Vertx vertx;
        private final List<PgConnectOptions> nodes;
        private final AtomicInteger last = new AtomicInteger();

        PrimaryFinder(Vertx vertx, List<PgConnectOptions> nodes) {
            this.vertx = vertx;
            this.nodes = nodes;
        }

        Future<SqlConnectOptions> primary() {
            return ask(last.get(), 0);
        }

        private Future<SqlConnectOptions> ask(int node, int asked) {
            if (asked == nodes.size()) {
                return Future.failedFuture(new ConnectException("no primary among " + nodes.stream()
                        .map(n -> n.getHost() + ":" + n.getPort()).collect(Collectors.joining(", "))));
            }
            PgConnectOptions options = nodes.get(node);
            return PgConnection.connect(vertx, options)
                    .compose(conn -> conn.query("SELECT pg_is_in_recovery()").execute()
                            .eventually(() -> conn.close())
                            .map(rows -> !rows.iterator().next().getBoolean(0)))
                    .otherwise(false)
                    .compose(isPrimary -> {
                        if (!isPrimary) {
                            return ask((node + 1) % nodes.size(), asked + 1);
                        }
                        if (last.getAndSet(node) != node) {
                            LOG.infof("the store's primary is now %s:%d", options.getHost(), options.getPort());
                        }
                        return Future.succeededFuture(options);
                    });
        }
    }
}
