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
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.Spawn;
import io.gamestate.proto.state.v1.SpawnEntityRequest;
import io.gamestate.proto.state.v1.StateService;
import io.gamestate.gls.HttpPlayers.Player;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A scripted session through the GLS against the real state-service and query-service. */
@QuarkusTest
@WithTestResource(SuiteServices.class)
class GameFlowTest {

    @GrpcClient("state")
    StateService state;


    @Test
    void joinMoveHarvestAttackOfferAcceptLookLeave() throws InterruptedException {
        Player a = join(1000, 1000);
        Player b = join(1003, 1000);
        long node = spawnNode(1001, 1002);

        Thread.sleep(300);
        act(a, Map.of("type", "move", "x", 1002.0, "y", 1000.5)).statusCode(200)
                .body("entities[0].x", equalTo(1002.0f));
        act(a, Map.of("type", "harvest", "targetId", node)).statusCode(200).body("harvested", equalTo(1));
        act(a, Map.of("type", "attack", "targetId", b.id())).statusCode(200);
        String offer = act(a, Map.of("type", "offer", "targetId", b.id(), "give", 10)).statusCode(200)
                .extract().path("offer.offerId");
        act(b, Map.of("type", "accept", "offerId", offer)).statusCode(200);
        List<Long> seen = given().header("X-Session", a.token()).queryParam("radius", 10)
                .get("/players/{id}/around", a.id()).then().statusCode(200).extract().jsonPath().getList("id", Long.class);
        assertThat(seen).contains(a.id(), b.id(), node);

        assertThat(entity(b.id()).getHp()).isEqualTo(90);
        assertThat(entity(a.id()).getGold()).isEqualTo(90);
        assertThat(entity(b.id()).getGold()).isEqualTo(110);
        assertThat(entity(node).getAmount()).isEqualTo(99);
        assertThat(entity(a.id()).getPosition().getX()).isEqualTo(1002.0);

        given().header("X-Session", a.token()).delete("/players/{id}", a.id()).then().statusCode(200);
        given().header("X-Session", a.token()).delete("/players/{id}", a.id()).then().statusCode(403);
    }

    @Test
    void teleportsFarTargetsAndForeignAvatarsAreRefused() throws InterruptedException {
        Player a = join(2000, 2000);
        Player b = join(2050, 2000);
        Thread.sleep(200);
        act(a, Map.of("type", "move", "x", 2100.0, "y", 2000.0)).statusCode(409).body("message", containsString("teleport"));
        act(a, Map.of("type", "attack", "targetId", b.id())).statusCode(409).body("message", containsString("units away"));
        given().header("X-Session", a.token()).contentType(ContentType.JSON).body(Map.of("type", "move", "x", 2050.0, "y", 2001.0))
                .post("/players/{id}/actions", b.id()).then().statusCode(403).body("message", containsString("plays avatar"));
        given().contentType(ContentType.JSON).body(Map.of("type", "move", "x", 1.0, "y", 1.0))
                .post("/players/{id}/actions", a.id()).then().statusCode(403);
        act(a, Map.of("type", "dance")).statusCode(400).body("message", containsString("unknown action"));
        act(a, Map.of("type", "move", "x", -5.0, "y", 1.0)).statusCode(400).body("message", containsString("outside the world"));
        act(a, Map.of("type", "attack", "targetId", 987654321L)).statusCode(404);
        assertThat(entity(a.id()).getPosition().getX()).as("refused moves wrote nothing").isEqualTo(2000.0);
        assertThat(entity(b.id()).getHp()).isEqualTo(100);
    }



    long spawnNode(double x, double y) {
        return state.spawnEntity(SpawnEntityRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                        .setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_RESOURCE_NODE)
                                .setPosition(Position.newBuilder().setX(x).setY(y)).setItemType("ore").setAmount(100)).build())
                .await().atMost(Duration.ofSeconds(10)).getEntities(0).getId();
    }

    Entity entity(long id) {
        return state.getEntity(GetEntityRequest.newBuilder().setEntityId(id).build()).await().atMost(Duration.ofSeconds(10));
    }

}
