package io.gamestate.state;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Tracing on, exported every 20 ms so a test sees its spans at once. */
public class TracingProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "20ms");
    }
}
