package io.gamestate.gls;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.gamestate.common.testing.LiveObjects;
import io.gamestate.gls.client.Downstream;
import io.gamestate.gls.client.StateClient;
import io.gamestate.proto.game.v1.GameService;
import io.gamestate.proto.game.v1.JoinRequest;
import io.gamestate.proto.state.v1.Move;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwUnit;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What the GLS does with each answer of state-service, against a {@link ScriptedStateService}: only
 * UNAVAILABLE is retried, with the same request id; ABORTED (state-service retried it already) and
 * INTERNAL are not; only unavailability opens the circuit breaker; players see a bug as 500 /
 * INTERNAL and an outage as 503 / UNAVAILABLE. The order matters: the last test opens the breaker.
 */
@QuarkusTest
@TestProfile(DownstreamPolicyTest.AgainstScriptedStateService.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DownstreamPolicyTest {

    public static class AgainstScriptedStateService implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.grpc.clients.state.test-port", "${quarkus.http.test-port}", "gls.mode", "immediate");
        }
    }

    @Inject
    StateClient state;

    @GrpcClient("game")
    GameService game;

    @Test
    @Order(1)
    void unavailableIsRetriedWithTheSameRequestId() {
        ScriptedStateService.answer(Status.Code.UNAVAILABLE);
        RmwUnit unit = move();
        assertThatThrownBy(() -> apply(unit)).isInstanceOf(Downstream.Unavailable.class);
        assertThat(ScriptedStateService.REQUEST_IDS).as("one call and two retries of the same unit")
                .containsExactly(unit.getRequestId(), unit.getRequestId(), unit.getRequestId());
    }

    @Test
    @Order(2)
    void aFailureOfStateServiceIsNotRetriedAndDoesNotOpenTheBreaker() {
        ScriptedStateService.answer(Status.Code.INTERNAL);
        for (int i = 0; i < 30; i++) {
            assertThatThrownBy(() -> apply(move())).isInstanceOf(Downstream.Failed.class);
        }
        assertThat(ScriptedStateService.REQUEST_IDS).as("each of 30 failing calls reached state-service once").hasSize(30)
                .doesNotHaveDuplicates();
    }

    @Test
    @Order(3)
    void abortedIsARefusalAndNotRetried() {
        ScriptedStateService.answer(Status.Code.ABORTED);
        assertThatThrownBy(() -> apply(move()))
                .isInstanceOfSatisfying(Downstream.Refused.class, e -> assertThat(e.code()).isEqualTo(Status.Code.ABORTED));
        assertThat(ScriptedStateService.REQUEST_IDS).hasSize(1);
    }

    @Test
    @Order(4)
    void playersSeeABugAs500AndAnOutageAs503() {
        ScriptedStateService.answer(Status.Code.INTERNAL);
        join().statusCode(500).body("error", equalTo("internal"));
        assertGrpcJoin(Status.Code.INTERNAL);
        ScriptedStateService.answer(Status.Code.UNAVAILABLE);
        join().statusCode(503).body("error", equalTo("unavailable"));
        assertGrpcJoin(Status.Code.UNAVAILABLE);
        ScriptedStateService.answer(Status.Code.ABORTED);
        join().statusCode(409).body("error", equalTo("aborted"));
        ScriptedStateService.answer(Status.Code.OK);
        join().statusCode(200);
    }

    /** However many calls pass the guard, it keeps nothing per call (a leak of SmallRye Fault Tolerance 6.10.1). */
    @Test
    @Order(5)
    void guardedCallsLeaveNothingBehind() {
        ScriptedStateService.answer(Status.Code.OK);
        apply(move());
        long before = LiveObjects.of(LiveObjects.FAULT_TOLERANCE_METRICS_COLLECTOR);
        for (int i = 0; i < 2_000; i++) {
            apply(move());
        }
        assertThat(LiveObjects.of(LiveObjects.FAULT_TOLERANCE_METRICS_COLLECTOR) - before).as("metrics collectors kept by 2,000 calls").isLessThan(10);
    }

    @Test
    @Order(6)
    void unavailabilityOpensTheBreaker() {
        ScriptedStateService.answer(Status.Code.UNAVAILABLE);
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> apply(move())).isInstanceOfAny(Downstream.Unavailable.class, CircuitBreakerOpenException.class);
        }
        int calls = ScriptedStateService.REQUEST_IDS.size();
        assertThatThrownBy(() -> apply(move())).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(ScriptedStateService.REQUEST_IDS).as("an open breaker does not call").hasSize(calls);
        join().statusCode(503).body("message", containsString("circuit"));
    }

    void assertGrpcJoin(Status.Code code) {
        assertThatThrownBy(() -> game.join(JoinRequest.newBuilder().setX(10).setY(10).build()).await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }

    ValidatableResponse join() {
        return given().contentType(ContentType.JSON).body(Map.of("x", 10.0, "y", 10.0)).post("/players").then();
    }

    void apply(RmwUnit unit) {
        state.apply(unit).await().atMost(Duration.ofSeconds(10));
    }

    static RmwUnit move() {
        return RmwUnit.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setMove(Move.newBuilder().setEntityId(1).setTo(Position.newBuilder().setX(1).setY(1))).build();
    }
}
