package io.gamestate.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.common.testing.LiveObjects;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A long run does not grow the heap: once a unit is answered, nothing of it is kept. */
@QuarkusTest
class NothingKeptPerUnitTest extends WorldTest {

    @Test
    void transactionsUnderTheRetryPolicyLeaveNoMetricsCollectors() {
        long player = world.player(100, 100, 0);
        world.apply(TestWorld.move(player, 101, 100));
        long before = LiveObjects.of(LiveObjects.FAULT_TOLERANCE_METRICS_COLLECTOR);
        for (int i = 0; i < 1_000; i++) {
            assertThat(world.apply(TestWorld.move(player, 100 + i % 2, 100)).getCode()).isEqualTo(Status.Code.OK.value());
        }
        assertThat(LiveObjects.of(LiveObjects.FAULT_TOLERANCE_METRICS_COLLECTOR) - before).as("metrics collectors kept by 1,000 transactions").isLessThan(10);
    }
}
