package io.gamestate.gls;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** The same session with every action sent alone (ApplyRmw) instead of per tick (ApplyBatch). */
@QuarkusTest
@WithTestResource(SuiteServices.class)
@TestProfile(ImmediateModeGameFlowTest.Immediate.class)
class ImmediateModeGameFlowTest extends GameFlowTest {

    public static class Immediate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gls.mode", "immediate");
        }
    }
}
