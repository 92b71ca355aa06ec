package io.gamestate.common.tracing;

import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Traces go out over OTLP by default ({@code quarkus.otel.exporter.otlp.traces.endpoint}, an
 * OpenTelemetry Collector in a cluster). Local runs have no collector: with
 * {@code gamestate.tracing.exporter=zipkin} the services send their spans straight to a Zipkin
 * server instead, through OpenTelemetry's Zipkin exporter. Quarkus installs its OTLP exporter only
 * when no other exporter bean is active, so exactly one of the two is used.
 */
@ApplicationScoped
public class ZipkinExport {

    // Quarkus looks exporters up programmatically, which ArC's unused-bean removal cannot see.
    @Produces
    @Singleton
    @Unremovable
    @LookupIfProperty(name = "gamestate.tracing.exporter", stringValue = "zipkin")
    SpanExporter zipkin(TracingConfig config) {
        return ZipkinSpanExporter.builder().setEndpoint(config.zipkinEndpoint()).build();
    }
}
