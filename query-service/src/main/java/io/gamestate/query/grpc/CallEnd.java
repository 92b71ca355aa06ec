package io.gamestate.query.grpc;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Tells a server stream that its client is gone. On the unified server (Vert.x transport) a
 * client's cancellation of a server-streaming call never reaches the gRPC stubs, because Vert.x
 * drops the stream reset of a request that has already ended (eclipse-vertx/vert.x#5562,
 * quarkusio/quarkus#46986), so a watch would poll forever. The HTTP layer does see the stream
 * close: this route, ahead of the gRPC one, records it in the request's Vert.x context, where
 * the service method (same duplicated context) picks it up.
 */
@ApplicationScoped
public class CallEnd {

    private static final String KEY = CallEnd.class.getName();

    void watchStreamEnds(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            if (rc.request().path().endsWith("/WatchRegion")) {
                AtomicBoolean ended = new AtomicBoolean();
                rc.addEndHandler(done -> ended.set(true));
                Vertx.currentContext().putLocal(KEY, ended);
            }
            rc.next();
        });
    }

    /** Whether the current call's HTTP stream has closed; never true when nothing recorded it. */
    static BooleanSupplier ofCurrentCall() {
        Context context = Vertx.currentContext();
        AtomicBoolean ended = context == null ? null : context.getLocal(KEY);
        return ended == null ? () -> false : ended::get;
    }
}
