package io.gamestate.gls.client;

import io.gamestate.gls.config.GlsConfig;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * The one deadline of a call to state-service or query-service ({@code gls.deadline}), on every
 * unary call of those clients, counted from the call. (A deadline configured on the client stub is
 * counted from the stub's creation, so calls start failing once that much time has passed since
 * startup: quarkusio/quarkus#41947.)
 */
@ApplicationScoped
public class DeadlineInterceptor implements ClientInterceptor {

    private final long deadlineMillis;

    public DeadlineInterceptor(GlsConfig config) {
        this.deadlineMillis = config.deadline().toMillis();
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        if (method.getType() != MethodDescriptor.MethodType.UNARY) {
            return next.newCall(method, options); // streams live as long as their reader wants
        }
        return next.newCall(method, options.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS));
    }
}
