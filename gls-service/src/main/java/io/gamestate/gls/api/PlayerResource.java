package io.gamestate.gls.api;

import io.gamestate.gls.api.Views.EntityView;
import io.gamestate.gls.api.Views.OfferView;
import io.gamestate.gls.api.Views.Outcome;
import io.gamestate.gls.game.Action;
import io.gamestate.gls.game.GameLogic;
import io.gamestate.gls.game.GameRefusal;
import io.gamestate.gls.game.PlayerSessions;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * The player API over HTTP: join, act (trade offers and their acceptance included), look, the open
 * offers, leave. A join returns a session token; every other call sends it in {@code X-Session} and
 * may only act for that session's avatar.
 */
@Path("/players")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PlayerResource {

    public record JoinRequest(double x, double y) {
    }

    public record Joined(long playerId, String token, double x, double y) {
    }

    private final GameLogic game;
    private final PlayerSessions sessions;

    public PlayerResource(GameLogic game, PlayerSessions sessions) {
        this.game = game;
        this.sessions = sessions;
    }

    @POST
    public Uni<Joined> join(JoinRequest join) {
        if (join == null) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "body {\"x\": ..., \"y\": ...} is required");
        }
        return game.join(join.x(), join.y()).map(s -> new Joined(s.playerId(), s.token(), join.x(), join.y()));
    }

    @POST
    @Path("/{id}/actions")
    public Uni<Outcome> act(@PathParam("id") long id, @HeaderParam("X-Session") String token, Action action) {
        return game.act(sessions.require(token, id), action).map(Outcome::of);
    }

    @GET
    @Path("/{id}/around")
    public Uni<List<EntityView>> look(@PathParam("id") long id, @HeaderParam("X-Session") String token,
                                      @QueryParam("radius") double radius) {
        return game.look(sessions.require(token, id), radius).map(Views::entities);
    }

    /** The open trade offers made by or to the player: how a player without a WebSocket learns of offers. */
    @GET
    @Path("/{id}/offers")
    public Uni<List<OfferView>> offers(@PathParam("id") long id, @HeaderParam("X-Session") String token) {
        return game.offers(sessions.require(token, id)).map(Views::offers);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Outcome> leave(@PathParam("id") long id, @HeaderParam("X-Session") String token) {
        return game.leave(sessions.require(token, id)).map(Outcome::of);
    }
}
