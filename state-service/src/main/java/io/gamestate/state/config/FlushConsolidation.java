package io.gamestate.state.config;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.Connection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.impl.SqlConnectionBase;

/**
 * The Vert.x SQL clients flush the socket once per statement: the statements of one round trip,
 * issued together, cost a write system call each, and on a loopback connection the sender's call
 * also runs the receiving side's network stack. A Netty {@link FlushConsolidationHandler} at the
 * head of each store connection's pipeline holds the flushes made while a response is being
 * handled (where the next round trip's statements are issued) until it is done, and flushes
 * made elsewhere until the event loop's current task ends: one write per round trip.
 */
final class FlushConsolidation {

    private FlushConsolidation() {
    }

    /** Installs the handler on a new pool connection (a pool's connect handler). */
    static void install(SqlConnection connection) {
        Connection c = ((SqlConnectionBase<?>) connection).unwrap();
        while (!(c instanceof SocketConnectionBase) && c.unwrap() != c) {
            c = c.unwrap();
        }
        if (c instanceof SocketConnectionBase socket) {
            socket.socket().channelHandlerContext().pipeline().addFirst("flush-consolidation",
                    new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        }
    }
}
