package io.gamestate.gls;

import io.gamestate.common.testing.JarProcess;
import io.gamestate.common.testing.TestDatabases;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The real state-service and query-service, started from the jars the reactor built before this
 * module, on the real PostgreSQL (database {@code gamestate_gls_test}); the GLS under test talks
 * to them over gRPC. Tests may stop and restart state-service to see the GLS ride it out.
 */
public class SuiteServices implements QuarkusTestResourceLifecycleManager {

    static final int STATE_PORT = 9201;
    static final int QUERY_PORT = 9202;
    static final int STATE_HTTP_PORT = 9203;
    static final int QUERY_HTTP_PORT = 9204;
    static final String DATABASE = "gamestate_gls_test";

    private static JarProcess state;
    private static JarProcess query;

    @Override
    public Map<String, String> start() {
        TestDatabases.ensure(TestDatabases.Server.POSTGRESQL, DATABASE);
        state = JarProcess.grpcService("state-service", STATE_PORT, STATE_HTTP_PORT,
                Map.of("GAMESTATE_DB_NAME", DATABASE, "QUARKUS_OTEL_SDK_DISABLED", "true"));
        state.start();
        query = JarProcess.grpcService("query-service", QUERY_PORT, QUERY_HTTP_PORT,
                Map.of("GAMESTATE_DB_NAME", DATABASE, "QUARKUS_OTEL_SDK_DISABLED", "true"));
        query.start();
        // In tests Quarkus gRPC clients dial their test-port (by default the app's own test port).
        return Map.of("quarkus.grpc.clients.state.test-port", Integer.toString(STATE_PORT),
                "quarkus.grpc.clients.query.test-port", Integer.toString(QUERY_PORT));
    }

    @Override
    public void stop() {
        // Either may be missing when start() failed part way.
        if (query != null) {
            query.stop();
        }
        if (state != null) {
            state.stop();
        }
    }

    static void stopStateService() {
        state.stop();
    }

    static void startStateService() {
        state.start();
    }
}
