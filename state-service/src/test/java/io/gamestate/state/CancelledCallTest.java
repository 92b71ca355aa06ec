package io.gamestate.state;

import static io.gamestate.state.TestWorld.move;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.common.util.concurrent.ListenableFuture;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.StateServiceGrpc;
import io.gamestate.proto.state.v1.StateServiceGrpc.StateServiceFutureStub;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A caller that gives up on a call (its deadline passes, the client resets the HTTP/2 stream)
 * costs that call alone: the other calls multiplexed on the same connection, as a GLS's are,
 * still get their answers.
 */
@QuarkusTest
class CancelledCallTest {

    @Inject
    TestWorld world;

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    @Test
    void aCallPastItsDeadlineLeavesTheOtherCallsOfItsConnectionAlone() throws Exception {
        long player = world.player(100, 100, 0);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        SqlConnection other = world.pool().getConnection().await().atMost(TestWorld.WAIT);
        try {
            StateServiceFutureStub stub = StateServiceGrpc.newFutureStub(channel);
            // The player's row is held, so both calls wait; the hasty one's answer comes first, after its deadline.
            Transaction holding = other.begin().await().atMost(TestWorld.WAIT);
            other.query("SELECT id FROM entity WHERE id = " + player + " FOR UPDATE").execute().await().atMost(TestWorld.WAIT);
            ListenableFuture<RmwResult> hasty = stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS).applyRmw(move(player, 101, 100));
            Thread.sleep(50);
            ListenableFuture<RmwResult> patient = stub.withDeadlineAfter(30, TimeUnit.SECONDS).applyRmw(move(player, 102, 100));

            Throwable gaveUp = catchThrowable(hasty::get);
            assertThat(gaveUp).isInstanceOf(ExecutionException.class);
            assertThat(Status.fromThrowable(gaveUp).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            holding.rollback().await().atMost(TestWorld.WAIT);

            assertThat(patient.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK.value());
            assertThat(stub.withDeadlineAfter(30, TimeUnit.SECONDS).applyRmw(move(player, 103, 100)).get().getCode())
                    .isEqualTo(Status.Code.OK.value());
        } finally {
            other.close().await().atMost(TestWorld.WAIT);
            channel.shutdownNow();
        }
    }
}
