package io.gamestate.gls.client;

import io.gamestate.proto.query.v1.QueryService;
import io.gamestate.proto.query.v1.RadiusQuery;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.Position;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** query-service as the game logic sees it, each call under {@link DownstreamGuards#QUERY}. */
@ApplicationScoped
public class QueryClient {

    @GrpcClient("query")
    QueryService query;

    @Inject
    DownstreamGuards guards;

    public Uni<List<Entity>> around(double x, double y, double radius, int limit) {
        return guards.query(() -> query.entitiesInRadius(RadiusQuery.newBuilder()
                        .setCenter(Position.newBuilder().setX(x).setY(y)).setRadius(radius).setLimit(limit).build())
                .map(r -> r.getEntitiesList())
                .onFailure().transform(e -> Downstream.classify(DownstreamGuards.QUERY, e)));
    }
}
