package io.gamestate.gls.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Typed configuration of the game logic server ({@code gls.*}). */
@ConfigMapping(prefix = "gls")
public interface GlsConfig {

    enum Mode {
        /** The actions of a tick go to state-service as one ApplyBatch. */
        TICK,
        /** Every action goes alone, as one ApplyRmw. */
        IMMEDIATE
    }

    @WithDefault("tick")
    Mode mode();

    /** Tick length in tick mode (50 ms = 20 Hz). */
    @WithDefault("50ms")
    Duration tick();

    /** Most units in one ApplyBatch; a tick with more queued sends them in several batches at once. */
    @WithDefault("256")
    int maxBatch();

    /** Fastest a player may move, in world units per second; a faster move is a teleport and refused. */
    @WithDefault("12")
    double maxSpeed();

    /** How close a target must be to be attacked, harvested or traded with. */
    @WithDefault("8")
    double actionRange();

    /** Largest look-around radius a player may ask for. */
    @WithDefault("64")
    double maxLookRadius();

    /** Requests (actions, looks, offers) a session may send per second, over any gateway (bursts to twice that). */
    @WithDefault("20")
    double actionsPerSecond();

    /** Requests of one session the GLS works on at once; more are refused (429) until one is answered. */
    @WithDefault("8")
    int maxInFlight();

    Trade trade();

    /** Trades take both players' consent: an offer by one, an acceptance by the other. */
    interface Trade {
        /** How long an offer waits for its acceptance. */
        @WithDefault("10s")
        Duration offerTtl();

        /** Offers a player may have open at once. */
        @WithDefault("3")
        int maxOpenOffers();
    }

    Npc npc();

    /** Simulated NPCs that walk around, so one GLS can load the store by itself. */
    interface Npc {
        /** NPCs this GLS spawns at start (0 = none). */
        @WithDefault("0")
        int count();

        /** Moves per second across all NPCs, sent through the same dispatcher as players' actions. */
        @WithDefault("0")
        double actionsPerSecond();
    }

    /**
     * The one deadline of a call to state-service or query-service, set on the gRPC call (the
     * service sees it too); a call past it is too slow and counts toward the breaker.
     */
    @WithDefault("500ms")
    Duration deadline();
}
