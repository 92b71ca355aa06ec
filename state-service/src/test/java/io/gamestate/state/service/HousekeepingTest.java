package io.gamestate.state.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.state.TestWorld;
import io.gamestate.state.config.StateConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A purge drops expired effects and request records past their replay window, and nothing else. */
@QuarkusTest
class HousekeepingTest {

    @Inject
    TestWorld world;

    @Inject
    Housekeeping housekeeping;

    @Inject
    StateConfig config;

    @BeforeEach
    @AfterEach
    void reset() {
        world.reset();
    }

    @Test
    void aPurgeDropsWhatHasExpiredAndKeepsTheRest() {
        long now = System.currentTimeMillis();
        long replayWindow = config.rmw().idempotencyTtl().toMillis();
        world.rows("INSERT INTO effect (id, cell_id, target_id, kind, magnitude, expires_at) VALUES (?, 1, 1, 'poison', 1, ?)",
                1L, now - 1_000);
        world.rows("INSERT INTO effect (id, cell_id, target_id, kind, magnitude, expires_at) VALUES (?, 1, 1, 'poison', 1, ?)",
                2L, now + 600_000);
        world.rows("INSERT INTO rmw_request (request_id, fingerprint, result, created_at) VALUES (?, 0, ?, ?)",
                "past-its-window", Buffer.buffer("r"), now - replayWindow - 1_000);
        world.rows("INSERT INTO rmw_request (request_id, fingerprint, result, created_at) VALUES (?, 0, ?, ?)",
                "within-its-window", Buffer.buffer("r"), now - replayWindow + 600_000);

        housekeeping.purge().await().atMost(Duration.ofSeconds(30));

        assertThat(world.number("SELECT COUNT(*) FROM effect WHERE id = 1")).isZero();
        assertThat(world.number("SELECT COUNT(*) FROM effect WHERE id = 2")).isEqualTo(1);
        assertThat(world.number("SELECT COUNT(*) FROM rmw_request WHERE request_id = 'past-its-window'")).isZero();
        assertThat(world.number("SELECT COUNT(*) FROM rmw_request WHERE request_id = 'within-its-window'")).isEqualTo(1);
    }
}
