package io.gamestate.common.world;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The world every service agrees on ({@code gamestate.world.*}); state-service checks it against the store. */
@ConfigMapping(prefix = "gamestate.world")
public interface WorldConfig {

    /** World extent in world units; positions outside [0, width) x [0, height) are refused. */
    @WithDefault("4096")
    double width();

    @WithDefault("4096")
    double height();

    /** Side of the fixed square superblocks the world is cut into. */
    @WithDefault("256")
    double superblockSize();

    /** Seed of the generated terrain layer. */
    @WithDefault("7")
    long seed();
}
