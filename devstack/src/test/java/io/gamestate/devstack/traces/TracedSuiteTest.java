package io.gamestate.devstack.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamestate.common.testing.JarProcess;
import io.gamestate.common.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three services and a real Zipkin server as child processes, on the real PostgreSQL: what
 * a player's action leaves in the trace backend, and what the slow-request report makes of it.
 */
class TracedSuiteTest {

    static final int ZIPKIN_PORT = 9431;
    static final int STATE_PORT = 9432;
    static final int QUERY_PORT = 9433;
    static final int GLS_PORT = 9434;
    static final int STATE_HTTP_PORT = 9435;
    static final int QUERY_HTTP_PORT = 9436;
    static final String DATABASE = "gamestate_trace_test";
    static final String ZIPKIN = "http://127.0.0.1:" + ZIPKIN_PORT;
    static final String GLS = "http://127.0.0.1:" + GLS_PORT;

    static final List<JarProcess> started = new ArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();
    final ZipkinTraces zipkin = new ZipkinTraces(ZIPKIN);

    @BeforeAll
    static void startSuite() {
        TestDatabases.ensure(TestDatabases.Server.POSTGRESQL, DATABASE);
        // Zipkin reads its port from QUERY_PORT.
        start(new JarProcess("zipkin", Path.of("target", "zipkin", "zipkin-server.jar"))
                .environment(Map.of("QUERY_PORT", Integer.toString(ZIPKIN_PORT)))
                .readyAt(ZIPKIN + "/health"));
        Map<String, String> env = new HashMap<>(Map.of(
                "GAMESTATE_DB_NAME", DATABASE,
                "GAMESTATE_TRACING_EXPORTER", "zipkin",
                "GAMESTATE_ZIPKIN_ENDPOINT", ZIPKIN + "/api/v2/spans",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms",
                // A row lock held for seconds makes a slow request, not a failed one.
                "GLS_DEADLINE", "10s",
                "STATE_PORT", Integer.toString(STATE_PORT),
                "QUERY_PORT", Integer.toString(QUERY_PORT),
                "GLS_PORT", Integer.toString(GLS_PORT)));
        start(JarProcess.grpcService("state-service", STATE_PORT, STATE_HTTP_PORT, env));
        start(JarProcess.grpcService("query-service", QUERY_PORT, QUERY_HTTP_PORT, env));
        start(JarProcess.service("gls-service", GLS_PORT, env));
    }

    private static void start(JarProcess process) {
        process.start();
        started.add(0, process);
    }

    @AfterAll
    static void stopSuite() {
        started.forEach(JarProcess::stop);
    }

    @Test
    void aWebSocketActionIsOneConnectedTraceFromTheGlsToEachStatement() throws Exception {
        Player player = new Player();
        String traceId = newTraceId();
        String callerSpan = newSpanId();
        player.send(Map.of("type", "move", "x", player.x + 1, "y", player.y, "seq", 1,
                "traceparent", "00-" + traceId + "-" + callerSpan + "-01"));
        String lookTrace = newTraceId();
        player.send(Map.of("type", "look", "radius", 8, "seq", 2,
                "traceparent", "00-" + lookTrace + "-" + newSpanId() + "-01"));

        List<TraceSpan> trace = awaitTrace(traceId, spans -> spans.stream().anyMatch(s -> s.tags().containsKey("db.statement")));
        TraceSpan action = only(trace, "gls-service", "ws move");
        assertThat(action.parentId()).isEqualTo(callerSpan);
        assertThat(action.kind()).isEqualTo("SERVER");
        TraceSpan tick = childOf(trace, action, "gls.tick");
        TraceSpan call = childOf(trace, tick, "gamestate.state.v1.stateservice/applybatch");
        assertThat(call.service()).isEqualTo("gls-service");
        assertThat(call.kind()).isEqualTo("CLIENT");
        TraceSpan served = childOf(trace, call, "gamestate.state.v1.stateservice/applybatch");
        assertThat(served.service()).isEqualTo("state-service");
        TraceSpan batch = childOf(trace, served, "rmw.batch");
        assertThat(batch.tags()).containsEntry("rmw.rules", "RULE_MOVE").containsEntry("rmw.retries", "0");
        TraceSpan transaction = childOf(trace, batch, "rmw.transaction");
        assertThat(transaction.tags()).containsEntry("db.store_family", "postgresql").containsKey("rmw.cell_ids");
        assertThat(trace.stream().filter(s -> transaction.id().equals(s.parentId()) && s.tags().containsKey("db.statement")))
                .hasSizeGreaterThanOrEqualTo(6);
        // Connected: every span's parent is in the trace, but the player's own span.
        List<String> ids = trace.stream().map(TraceSpan::id).toList();
        assertThat(trace).allMatch(s -> s == action || ids.contains(s.parentId()));

        List<TraceSpan> look = awaitTrace(lookTrace, spans -> spans.stream().anyMatch(s -> s.service().equals("query-service")
                && s.tags().containsKey("db.statement")));
        TraceSpan lookCall = childOf(look, only(look, "gls-service", "ws look"), "gamestate.query.v1.queryservice/entitiesinradius");
        TraceSpan queried = childOf(look, lookCall, "gamestate.query.v1.queryservice/entitiesinradius");
        assertThat(queried.service()).isEqualTo("query-service");
        assertThat(look).anyMatch(s -> queried.id().equals(s.parentId()) && s.tags().containsKey("db.statement"));
        player.close();
    }

    @Test
    void theSlowRequestReportNamesARowLockHeldByAnotherTransaction() throws Exception {
        Player player = new Player();
        JsonNode moved = player.send(Map.of("type", "move", "x", player.x + 1, "y", player.y, "seq", 1));
        long cell = moved.path("body").path("entities").get(0).path("cellId").asLong();
        // The report looks at this test's requests only, not at the cold start of the suite.
        long since = System.currentTimeMillis();
        for (int i = 0; i < 30; i++) {
            player.send(Map.of("type", "move", "x", player.x + 1 + (i % 2), "y", player.y, "seq", 2 + i,
                    "traceparent", "00-" + newTraceId() + "-" + newSpanId() + "-01"));
        }

        String slowTrace = newTraceId();
        try (Connection store = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "postgres", "")) {
            store.setAutoCommit(false);
            try (Statement lock = store.createStatement()) {
                lock.execute("SELECT id FROM cell WHERE id = " + cell + " FOR UPDATE");
            }
            CompletableFuture<JsonNode> held = player.sendAsync(Map.of("type", "move", "x", player.x + 1, "y", player.y, "seq", 99,
                    "traceparent", "00-" + slowTrace + "-" + newSpanId() + "-01"));
            Thread.sleep(1200); // within the GLS deadline this suite sets (GLS_DEADLINE): slow, not failed
            store.rollback();
            assertThat(held.get(10, TimeUnit.SECONDS).path("ok").asBoolean()).isTrue();
        }
        awaitTrace(slowTrace, spans -> spans.stream().anyMatch(s -> s.name().equals("rmw.transaction")));

        Duration window = Duration.ofMillis(System.currentTimeMillis() - since);
        SlowRequestReport.Result result = new SlowRequestReport(zipkin).run(window, 99, Optional.empty(), 1000);
        assertThat(result.requests()).isGreaterThanOrEqualTo(30);
        SlowRequestReport.SlowRequest slowest = result.slowest().get(0);
        assertThat(slowest.traceId()).isEqualTo(slowTrace);
        assertThat(slowest.link()).isEqualTo(ZIPKIN + "/zipkin/traces/" + slowTrace);
        SlowRequestReport.Cause top = slowest.causes().get(0);
        assertThat(top.name()).startsWith("SQL state-service: SELECT … FROM cell WHERE id").contains("row lock wait");
        assertThat(top.millis()).isGreaterThan(1000);
        assertThat(result.causes().get(0).name()).isEqualTo(top.name());
        assertThat(slowest.causes().stream().mapToDouble(SlowRequestReport.Cause::millis).sum())
                .isCloseTo(slowest.millis(), offset(1.0));
        player.close();
    }

    private List<TraceSpan> awaitTrace(String traceId, Predicate<List<TraceSpan>> complete) {
        // Each service exports in its own batches (every 100 ms here): wait until the trace holds
        // what is asked, then one more export round for the spans of the other services.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> complete.test(new ZipkinTraces(ZIPKIN).trace(traceId)));
        await().pollDelay(Duration.ofMillis(500)).until(() -> true);
        return new ZipkinTraces(ZIPKIN).trace(traceId);
    }

    private static TraceSpan only(List<TraceSpan> trace, String service, String name) {
        List<TraceSpan> found = trace.stream().filter(s -> s.service().equals(service) && s.name().equals(name)).toList();
        assertThat(found).as(service + " " + name + " in " + names(trace)).hasSize(1);
        return found.get(0);
    }

    private static TraceSpan childOf(List<TraceSpan> trace, TraceSpan parent, String name) {
        return trace.stream().filter(s -> parent.id().equals(s.parentId()) && s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " under " + parent.name() + " in " + names(trace)));
    }

    private static List<String> names(List<TraceSpan> trace) {
        return trace.stream().map(s -> s.service() + ":" + s.name() + ":" + s.id() + "<" + s.parentId()).toList();
    }

    private static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String newSpanId() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    }

    /** A player on its own WebSocket, joined somewhere no other test plays. */
    static final class Player implements WebSocket.Listener {
        final double x = 200 + ThreadLocalRandom.current().nextInt(3000);
        final double y = 200 + ThreadLocalRandom.current().nextInt(3000);
        private final LinkedBlockingQueue<CompletableFuture<JsonNode>> waiting = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;

        Player() throws Exception {
            socket = http.newWebSocketBuilder().buildAsync(URI.create(GLS.replace("http", "ws") + "/ws"), this).get(10, TimeUnit.SECONDS);
            assertThat(send(Map.of("type", "join", "x", x, "y", y, "seq", 0)).path("ok").asBoolean()).isTrue();
        }

        JsonNode send(Map<String, Object> frame) throws Exception {
            JsonNode reply = sendAsync(frame).get(10, TimeUnit.SECONDS);
            assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
            return reply;
        }

        /** Frames are answered in order on one connection, so replies match sends one by one. */
        synchronized CompletableFuture<JsonNode> sendAsync(Map<String, Object> frame) throws Exception {
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            waiting.add(reply);
            socket.sendText(json.writeValueAsString(frame), true).get(10, TimeUnit.SECONDS);
            return reply;
        }

        void close() {
            socket.abort();
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    waiting.take().complete(json.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
