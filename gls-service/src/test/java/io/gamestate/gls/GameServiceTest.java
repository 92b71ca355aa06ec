package io.gamestate.gls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gamestate.proto.game.v1.ActReply;
import io.gamestate.proto.game.v1.ActRequest;
import io.gamestate.proto.game.v1.GameService;
import io.gamestate.proto.game.v1.JoinReply;
import io.gamestate.proto.game.v1.JoinRequest;
import io.gamestate.proto.game.v1.OffersRequest;
import io.gamestate.proto.game.v1.StatsReply;
import io.gamestate.proto.game.v1.StatsRequest;
import io.gamestate.proto.game.v1.TradeOffer;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.StateService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GameService over gRPC, with NPCs loading the store from this GLS alone and offers that expire in 2 s. */
@QuarkusTest
@WithTestResource(SuiteServices.class)
@TestProfile(GameServiceTest.WithNpcs.class)
class GameServiceTest {

    public static class WithNpcs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gls.npc.count", "100", "gls.npc.actions-per-second", "200", "gls.trade.offer-ttl", "2s");
        }
    }

    @GrpcClient("game")
    GameService game;

    @GrpcClient("state")
    StateService state;

    @Test
    void npcsWalkAtTheConfiguredRate() throws InterruptedException {
        await("NPCs spawned").atMost(Duration.ofSeconds(60)).until(() -> stats().getNpcs() >= 100);
        long before = stats().getActionsOrDefault("npc.applied", 0);
        Thread.sleep(3_000);
        long moved = stats().getActionsOrDefault("npc.applied", 0) - before;
        assertThat(moved).as("about 200 NPC moves a second are applied").isBetween(400L, 800L);
        assertThat(stats().getActionsOrDefault("npc.unavailable", 0)).isZero();
    }

    @Test
    void joinAndActOverGrpcWithTheGamesChecks() {
        JoinReply joined = game.join(JoinRequest.newBuilder().setX(3500).setY(3500).build()).await().atMost(Duration.ofSeconds(10));
        assertThat(joined.getPlayerId()).isPositive();
        assertStatus(ActRequest.newBuilder().setToken(joined.getToken()).setPlayerId(joined.getPlayerId())
                .setType("move").setX(3900).setY(3500).build(), Status.Code.FAILED_PRECONDITION);
        assertStatus(ActRequest.newBuilder().setToken("not-a-token").setPlayerId(joined.getPlayerId())
                .setType("move").setX(3501).setY(3500).build(), Status.Code.PERMISSION_DENIED);
        assertStatus(ActRequest.newBuilder().setToken(joined.getToken()).setPlayerId(joined.getPlayerId())
                .setType("fly").build(), Status.Code.INVALID_ARGUMENT);
        assertThat(stats().getActionsOrDefault("player.refused", 0)).isPositive();
    }

    @Test
    void tradesOverGrpcTakeTheOtherPlayersAcceptanceBeforeTheOfferExpires() {
        JoinReply a = join(3600, 3600);
        JoinReply b = join(3603, 3600);
        assertStatus(act(a).setType("trade").setTargetId(b.getPlayerId()).setTake(60).build(), Status.Code.INVALID_ARGUMENT);

        String expiring = applied(act(a).setType("offer").setTargetId(b.getPlayerId()).setTake(60).build()).getOffer().getOfferId();
        assertThat(game.offers(OffersRequest.newBuilder().setToken(b.getToken()).setPlayerId(b.getPlayerId()).build())
                .await().atMost(Duration.ofSeconds(10)).getOffersList()).extracting(TradeOffer::getOfferId).containsExactly(expiring);
        assertStatus(act(a).setType("accept").setOfferId(expiring).build(), Status.Code.PERMISSION_DENIED);
        await().atMost(Duration.ofSeconds(10)).until(() -> game.offers(OffersRequest.newBuilder().setToken(b.getToken())
                .setPlayerId(b.getPlayerId()).build()).await().atMost(Duration.ofSeconds(10)).getOffersCount() == 0);
        assertStatus(act(b).setType("accept").setOfferId(expiring).build(), Status.Code.NOT_FOUND);
        assertThat(gold(b.getPlayerId())).as("neither the offer nor its late acceptance moved anything").isEqualTo(100);

        String offerId = applied(act(a).setType("offer").setTargetId(b.getPlayerId()).setGive(10).setTake(60).build())
                .getOffer().getOfferId();
        ActReply accepted = applied(act(b).setType("accept").setOfferId(offerId).build());
        assertThat(accepted.getReplayed()).isFalse();
        assertThat(accepted.getChangedEntityIdsList()).contains(a.getPlayerId(), b.getPlayerId());
        assertThat(applied(act(b).setType("accept").setOfferId(offerId).build()).getReplayed()).isTrue();
        assertThat(gold(a.getPlayerId())).isEqualTo(150);
        assertThat(gold(b.getPlayerId())).isEqualTo(50);
    }

    JoinReply join(double x, double y) {
        return game.join(JoinRequest.newBuilder().setX(x).setY(y).build()).await().atMost(Duration.ofSeconds(10));
    }

    static ActRequest.Builder act(JoinReply player) {
        return ActRequest.newBuilder().setToken(player.getToken()).setPlayerId(player.getPlayerId());
    }

    ActReply applied(ActRequest request) {
        return game.act(request).await().atMost(Duration.ofSeconds(10));
    }

    long gold(long playerId) {
        return state.getEntity(GetEntityRequest.newBuilder().setEntityId(playerId).build()).await().atMost(Duration.ofSeconds(10))
                .getGold();
    }

    StatsReply stats() {
        return game.stats(StatsRequest.getDefaultInstance()).await().atMost(Duration.ofSeconds(10));
    }

    void assertStatus(ActRequest request, Status.Code code) {
        assertThatThrownBy(() -> game.act(request).await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
