package io.gamestate.gls.client;

import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.grpc.api.ChannelBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcClientConfiguration;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.grpc.client.GrpcClientOptions;
import jakarta.inject.Singleton;

/**
 * The Vert.x gRPC client rides on Vert.x's HTTP client, which would trace every call a second
 * time as a bare {@code POST} and send a {@code traceparent} of its own that hides the gRPC
 * span from the service. The gRPC instrumentation already traces each call by its method name.
 */
@Singleton
public class TraceGrpcCallsOnce implements ChannelBuilderCustomizer<NettyChannelBuilder> {

    @Override
    public void customize(String name, GrpcClientConfiguration config, GrpcClientOptions options) {
        options.getTransportOptions().setTracingPolicy(TracingPolicy.IGNORE);
    }
}
