package io.gamestate.state;

import static io.gamestate.state.RulesTest.expectStatus;
import static io.gamestate.state.TestWorld.damage;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A request id applies once, however often and however concurrently it is sent. */
@QuarkusTest
class IdempotencyTest extends WorldTest {

    long npc;

    @BeforeEach
    void setUp() {
        npc = world.npc(10, 10, 100);
    }

    @Test
    void aRetryReturnsTheFirstResult() {
        RmwUnit hit = damage(0, npc, 10);
        RmwResult first = world.apply(hit);
        RmwResult again = world.apply(hit);
        assertThat(first.getReplayed()).isFalse();
        assertThat(again.getReplayed()).isTrue();
        assertThat(again.toBuilder().setReplayed(false).build()).isEqualTo(first);
        assertThat(hp()).isEqualTo(90);
        assertThat(world.number("SELECT COUNT(*) FROM change_log WHERE request_id = ?", hit.getRequestId())).isEqualTo(1);
    }

    @Test
    void concurrentTwinsApplyOnce() {
        RmwUnit hit = damage(0, npc, 10);
        List<Uni<RmwResult>> twins = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            twins.add(world.client().applyRmw(hit));
        }
        List<RmwResult> results = Uni.join().all(twins).andFailFast().await().atMost(TestWorld.WAIT);
        assertThat(results).filteredOn(r -> !r.getReplayed()).hasSize(1);
        assertThat(results).allMatch(r -> r.getEntities(0).getHp() == 90);
        assertThat(hp()).isEqualTo(90);
        assertThat(world.number("SELECT COUNT(*) FROM effect WHERE target_id = ?", npc)).isEqualTo(1);
    }

    @Test
    void twinsInsideOneBatchApplyOnce() {
        RmwUnit hit = damage(0, npc, 10);
        List<RmwResult> results = world.batch(List.of(hit, hit, damage(0, npc, 1)));
        assertThat(results).extracting(RmwResult::getReplayed).containsExactly(false, true, false);
        assertThat(hp()).isEqualTo(89);
    }

    @Test
    void aReusedRequestIdWithAnotherUnitIsRefused() {
        RmwUnit hit = damage(0, npc, 10);
        world.apply(hit);
        List<String> before = world.snapshot();
        expectStatus(() -> world.apply(damage(0, npc, 20).toBuilder().setRequestId(hit.getRequestId()).build()),
                Status.Code.ALREADY_EXISTS, "different unit");
        assertThat(world.snapshot()).isEqualTo(before);
    }

    @Test
    void aRefusedUnitIsNotRecordedSoItsRetryIsJudgedAgain() {
        long attacker = world.player(12, 10, 0);
        RmwUnit hit = damage(attacker, npc, 200);
        world.apply(hit);
        RmwUnit refused = damage(attacker, npc, 1);
        expectStatus(() -> world.apply(refused), Status.Code.FAILED_PRECONDITION, "dead");
        assertThat(world.number("SELECT COUNT(*) FROM rmw_request WHERE request_id = ?", refused.getRequestId())).isZero();
    }

    int hp() {
        return (int) world.number("SELECT hp FROM entity WHERE id = ?", npc);
    }
}
