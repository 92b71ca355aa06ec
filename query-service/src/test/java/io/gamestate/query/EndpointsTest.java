package io.gamestate.query;

import static org.assertj.core.api.Assertions.assertThat;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.gamestate.proto.query.v1.BoxQuery;
import io.gamestate.proto.state.v1.Bounds;
import io.grpc.Channel;
import io.grpc.reflection.v1.MutinyServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServiceResponse;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What operators and tools rely on: gRPC health, reflection, the readiness probe, Prometheus metrics. */
@QuarkusTest
class EndpointsTest {

    @GrpcClient("query")
    Channel channel;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Inject
    TestWorld world;

    @Test
    void healthAndReflectionServe() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        List<String> services = MutinyServerReflectionGrpc.newMutinyStub(channel)
                .serverReflectionInfo(Multi.createFrom().item(ServerReflectionRequest.newBuilder().setListServices("").build()))
                .collect().first().await().atMost(TestWorld.WAIT)
                .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
        assertThat(services).contains("gamestate.query.v1.QueryService", "grpc.health.v1.Health");
    }

    @Test
    void readinessFollowsTheStoredWorldAndMetricsAreServed() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        world.exec("DELETE FROM world", io.vertx.mutiny.sqlclient.Tuple.tuple());
        HttpResponse<String> down = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("no world in the store yet");

        world.reset();
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).contains("\"world\"").contains("UP");

        world.client().entitiesInBox(BoxQuery.newBuilder().setBox(Bounds.newBuilder().setMaxX(1).setMaxY(1)).build())
                .await().atMost(TestWorld.WAIT);
        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("gamestate_query_watches").contains("EntitiesInBox");
    }
}
