package io.gamestate.gls.game;

import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.RmwResult;
import java.util.List;

/**
 * What an action did: the entities it changed, what a harvest yielded, whether state-service
 * replayed an earlier answer to the same request (a re-sent acceptance), and the offer an
 * {@code offer} or {@code cancel} concerned.
 */
public record Acted(List<Entity> entities, long harvested, boolean replayed, TradeOffer offer) {

    static Acted applied(RmwResult result) {
        return new Acted(result.getEntitiesList(), result.getHarvested(), result.getReplayed(), null);
    }

    static Acted about(TradeOffer offer) {
        return new Acted(List.of(), 0, false, offer);
    }
}
