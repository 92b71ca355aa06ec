package io.gamestate.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamestate.proto.state.v1.DespawnEntityRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** With automatic partitioning on, a crowd splits its cell and its departure merges it back. */
@QuarkusTest
@TestProfile(AutoPartitionTest.LowThresholds.class)
class AutoPartitionTest {

    public static class LowThresholds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gamestate.partition.automatic", "true",
                    "gamestate.partition.split-threshold", "8",
                    "gamestate.partition.merge-threshold", "4");
        }
    }

    @Inject
    TestWorld world;

    @Test
    void aCrowdSplitsItsCellAndLeavingMergesIt() {
        world.reset();
        List<Long> crowd = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            crowd.add(world.player(20 + i * 18, 30 + i * 15, 0));
        }
        awaitTrue("cell 1 splits", () -> world.number("SELECT COUNT(*) FROM cell WHERE parent_id = 1") > 0);
        world.assertInvariants();
        for (long p : crowd.subList(0, 10)) {
            world.client().despawnEntity(DespawnEntityRequest.newBuilder().setRequestId(TestWorld.newId()).setEntityId(p).build())
                    .await().atMost(TestWorld.WAIT);
        }
        awaitTrue("cell 1 merges back", () -> world.number("SELECT COUNT(*) FROM cell WHERE parent_id IS NOT NULL") == 0);
        assertThat(world.number("SELECT num_entities FROM cell WHERE id = 1")).isEqualTo(2);
        world.assertInvariants();
    }

    static void awaitTrue(String what, Callable<Boolean> condition) {
        await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(condition);
    }
}
