package io.gamestate.state;

import static org.assertj.core.api.Assertions.assertThat;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
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

/** What operators and tools rely on: the standard gRPC health service, reflection, HTTP probes, metrics. */
@QuarkusTest
class GrpcEndpointsTest {

    @GrpcClient("state")
    Channel channel;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Inject
    TestWorld world;

    @Test
    void standardHealthServiceServes() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void reflectionListsTheStateService() {
        List<String> services = MutinyServerReflectionGrpc.newMutinyStub(channel)
                .serverReflectionInfo(Multi.createFrom().item(ServerReflectionRequest.newBuilder().setListServices("").build()))
                .collect().first().await().atMost(TestWorld.WAIT)
                .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
        assertThat(services).contains("gamestate.state.v1.StateService", "grpc.health.v1.Health");
    }

    @Test
    void readinessProbeAndPrometheusMetricsAreServed() throws Exception {
        world.player(1, 1, 0);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> probe = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(probe.body()).contains("\"world\"").contains("UP");
        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("gamestate_rmw_units_total{code=\"OK\",replayed=\"false\",rule=\"RULE_SPAWN\"}");
    }
}
