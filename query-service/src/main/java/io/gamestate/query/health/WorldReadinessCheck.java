package io.gamestate.query.health;

import io.gamestate.query.repository.CellRepository;
import io.gamestate.common.world.WorldGeometry;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the store (or replica) holds the world state-service created, with the geometry
 * this service is configured for: spatial answers depend on both agreeing.
 */
@Readiness
@ApplicationScoped
public class WorldReadinessCheck implements AsyncHealthCheck {

    private final CellRepository cells;
    private final WorldGeometry geometry;

    public WorldReadinessCheck(CellRepository cells, WorldGeometry geometry) {
        this.cells = cells;
        this.geometry = geometry;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return cells.storedWorld().map(stored -> {
            var response = HealthCheckResponse.named("world");
            if (stored == null) {
                return response.down().withData("reason", "no world in the store yet").build();
            }
            boolean matches = stored[0] == geometry.width() && stored[1] == geometry.height()
                    && stored[2] == geometry.superblockSize();
            return response.status(matches)
                    .withData("stored", stored[0] + " x " + stored[1] + " / " + stored[2])
                    .withData("configured", geometry.width() + " x " + geometry.height() + " / " + geometry.superblockSize())
                    .build();
        }).onFailure().recoverWithItem(e -> HealthCheckResponse.named("world").down()
                .withData("reason", String.valueOf(e.getMessage())).build());
    }
}
