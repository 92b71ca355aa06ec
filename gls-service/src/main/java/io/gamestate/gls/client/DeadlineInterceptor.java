package io.gamestate.gls.client;

import io.gamestate.gls.config.GlsConfig;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.gamestate.proto.query.v1.QueryServiceGrpc;
import io.gamestate.proto.state.v1.StateServiceGrpc;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The one deadline of a call to state-service or query-service ({@code gls.deadline}), on every
 * unary call to their gRPC packages, counted from the call. (A deadline configured on the client
 * stub is counted from the stub's creation, so calls start failing once that much time has passed
 * since startup: quarkusio/quarkus#41947.) Calls to other services, such as the GLS's own
 * GameService from a test, keep the deadline their caller sets.
 */
@GlobalInterceptor
@ApplicationScoped
public class DeadlineInterceptor implements ClientInterceptor {

    private static final Set<String> DOWNSTREAM = Set.of(StateServiceGrpc.SERVICE_NAME, QueryServiceGrpc.SERVICE_NAME);

    private final long deadlineMillis;

    public DeadlineInterceptor(GlsConfig config) {
        this.deadlineMillis = config.deadline().toMillis();
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        if (method.getType() != MethodDescriptor.MethodType.UNARY || !DOWNSTREAM.contains(method.getServiceName())) {
            return next.newCall(method, options); // streams live as long as their reader wants
        }
        return next.newCall(method, options.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS));
    }
}
