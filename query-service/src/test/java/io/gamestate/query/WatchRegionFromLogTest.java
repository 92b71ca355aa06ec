package io.gamestate.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.common.testing.OwnLogStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every change-stream test of {@link WatchRegionTest} again, with the watches fed from the
 * store's own log (watch-source log) on a server that writes one.
 */
@QuarkusTest
@TestProfile(WatchRegionFromLogTest.FromLog.class)
class WatchRegionFromLogTest extends WatchRegionTest {

    public static class FromLog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gamestate.query.watch-source", "log");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnLogStore.class, Map.of(OwnLogStore.DATABASE_ARG, "gamestate_query_test")));
        }
    }

    @Test
    void theFeedReadsTheStoresLog() {
        assertThat(registry.get("gamestate.query.watch.capture.connected").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("gamestate.query.watch.lag").tag("source", "log").timer()).isNotNull();
    }
}
