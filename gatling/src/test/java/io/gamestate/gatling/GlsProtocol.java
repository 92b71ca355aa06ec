package io.gamestate.gatling;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;

/** How every simulation reaches the GLS: HTTP and WebSocket on one port, a fresh traceparent on every request. */
final class GlsProtocol {

    static final String BASE_URL = System.getProperty("baseUrl", "http://127.0.0.1:9100");

    private GlsProtocol() {
    }

    static HttpProtocolBuilder http() {
        return http.baseUrl(BASE_URL)
                .wsBaseUrl(BASE_URL.replaceFirst("^http", "ws"))
                .acceptHeader("application/json")
                .contentTypeHeader("application/json")
                // A function, so Gatling evaluates it per request (the WebSocket handshake included).
                .header("traceparent", session -> TraceParent.next());
    }
}
