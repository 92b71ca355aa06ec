package io.gamestate.state.health;

import io.gamestate.state.world.WorldBootstrap;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the world exists in the store and matches the configuration. */
@Readiness
@ApplicationScoped
public class WorldReadinessCheck implements HealthCheck {

    private final WorldBootstrap world;

    public WorldReadinessCheck(WorldBootstrap world) {
        this.world = world;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("world").status(world.ready()).build();
    }
}
