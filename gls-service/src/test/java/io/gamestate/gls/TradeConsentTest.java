package io.gamestate.gls;

import static io.gamestate.gls.HttpPlayers.act;
import static io.gamestate.gls.HttpPlayers.join;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.GetEntityRequest;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.SpawnEntityRequest;
import io.gamestate.proto.state.v1.StateService;
import io.gamestate.gls.HttpPlayers.Player;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A trade over HTTP takes both players' consent: nothing of B's moves on A's word alone, and an
 * accepted offer moves exactly its terms, once. Balances and owners are read back from the real
 * state-service.
 */
@QuarkusTest
@WithTestResource(SuiteServices.class)
class TradeConsentTest {

    @GrpcClient("state")
    StateService state;


    @Test
    void aPlayerCannotTakeAnotherPlayersGoldOrItemsOnItsOwnWord() {
        Player a = join(1500, 1500);
        Player b = join(1503, 1500);
        long gem = spawnItem(b.id());

        act(a, Map.of("type", "trade", "targetId", b.id(), "give", 0, "take", 60, "items", List.of()))
                .statusCode(400).body("message", containsString("consent"));
        String offerId = act(a, Map.of("type", "offer", "targetId", b.id(), "take", 60, "takeItems", List.of(gem)))
                .statusCode(200).body("offer.toId", equalTo((int) b.id())).extract().path("offer.offerId");
        given().header("X-Session", b.token()).get("/players/{id}/offers", b.id()).then().statusCode(200)
                .body("offerId", equalTo(List.of(offerId)));

        act(a, Map.of("type", "accept", "offerId", offerId)).statusCode(403).body("message", containsString("own offer"));
        Player c = join(1500, 1503);
        act(c, Map.of("type", "accept", "offerId", offerId)).statusCode(403).body("message", containsString("not addressed"));
        act(b, Map.of("type", "accept", "offerId", "no-such-offer")).statusCode(404);

        assertThat(entity(b.id()).getGold()).as("an offer alone moves nothing").isEqualTo(100);
        assertThat(entity(a.id()).getGold()).isEqualTo(100);
        assertThat(entity(gem).getOwnerId()).isEqualTo(b.id());
        assertThat(entity(c.id()).getGold()).isEqualTo(100);
    }

    @Test
    void anAcceptedOfferMovesExactlyItsTermsOnce() {
        Player a = join(1600, 1600);
        Player b = join(1603, 1600);
        long aGem = spawnItem(a.id());
        long bGem = spawnItem(b.id());

        String offerId = act(a, Map.of("type", "offer", "targetId", b.id(), "give", 5, "take", 60,
                "items", List.of(aGem), "takeItems", List.of(bGem))).statusCode(200).extract().path("offer.offerId");
        act(b, Map.of("type", "accept", "offerId", offerId)).statusCode(200).body("replayed", equalTo(false));

        assertThat(entity(a.id()).getGold()).isEqualTo(155);
        assertThat(entity(b.id()).getGold()).isEqualTo(45);
        assertThat(entity(aGem).getOwnerId()).as("A's item is B's").isEqualTo(b.id());
        assertThat(entity(bGem).getOwnerId()).as("B's item is A's").isEqualTo(a.id());

        act(b, Map.of("type", "accept", "offerId", offerId)).statusCode(200).body("replayed", equalTo(true));
        assertThat(entity(a.id()).getGold()).as("a re-sent acceptance trades nothing twice").isEqualTo(155);
        assertThat(entity(b.id()).getGold()).isEqualTo(45);
        act(a, Map.of("type", "cancel", "offerId", offerId)).statusCode(409).body("message", containsString("accepted"));
        given().header("X-Session", b.token()).get("/players/{id}/offers", b.id()).then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void offersNeedAPlayerInReachAndDieWithTheirPlayers() {
        Player a = join(1700, 1700);
        Player far = join(1750, 1700);
        Player b = join(1703, 1700);
        act(a, Map.of("type", "offer", "targetId", far.id(), "give", 1)).statusCode(409).body("message", containsString("units away"));
        act(a, Map.of("type", "offer", "targetId", 987654321L, "give", 1)).statusCode(404);
        act(a, Map.of("type", "offer", "targetId", b.id())).statusCode(400).body("message", containsString("nothing"));
        act(a, Map.of("type", "offer", "targetId", b.id(), "give", -5)).statusCode(400);

        String declined = act(a, Map.of("type", "offer", "targetId", b.id(), "give", 1)).statusCode(200).extract().path("offer.offerId");
        act(b, Map.of("type", "cancel", "offerId", declined)).statusCode(200);
        act(b, Map.of("type", "accept", "offerId", declined)).statusCode(404);

        for (int i = 0; i < 3; i++) {
            act(a, Map.of("type", "offer", "targetId", b.id(), "give", 1)).statusCode(200);
        }
        act(a, Map.of("type", "offer", "targetId", b.id(), "give", 1)).statusCode(409).body("message", containsString("open offers"));

        String left = given().header("X-Session", b.token()).get("/players/{id}/offers", b.id()).then().statusCode(200)
                .extract().path("[0].offerId");
        given().header("X-Session", a.token()).delete("/players/{id}", a.id()).then().statusCode(200);
        act(b, Map.of("type", "accept", "offerId", left)).statusCode(404);
        assertThat(entity(b.id()).getGold()).isEqualTo(100);
    }



    long spawnItem(long holderId) {
        return state.spawnEntity(SpawnEntityRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                        .setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_ITEM).setParentId(holderId)
                                .setItemType("gem").setAmount(1)).build())
                .await().atMost(Duration.ofSeconds(10)).getEntities(0).getId();
    }

    Entity entity(long id) {
        return state.getEntity(GetEntityRequest.newBuilder().setEntityId(id).build()).await().atMost(Duration.ofSeconds(10));
    }
}
