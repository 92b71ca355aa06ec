package io.gamestate.common.tracing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where spans go: {@code otlp} (Quarkus's exporter, the default) or {@code zipkin}. */
@ConfigMapping(prefix = "gamestate.tracing")
public interface TracingConfig {

    @WithDefault("otlp")
    String exporter();

    /** Zipkin's span API, used with {@code exporter=zipkin}. */
    @WithDefault("http://127.0.0.1:9411/api/v2/spans")
    String zipkinEndpoint();
}
