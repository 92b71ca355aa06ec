package io.gamestate.gls.api;

import io.gamestate.gls.game.GameLogic;
import io.gamestate.gls.game.GameRefusal;
import io.gamestate.gls.game.PlayerSessions;
import io.gamestate.gls.game.PlayerSessions.Session;
import io.gamestate.proto.state.v1.Entity;
import io.gamestate.proto.state.v1.RmwResult;
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
 * The player API over HTTP: join, act, look, leave. A join returns a session token; every other
 * call sends it in {@code X-Session} and may only act for that session's avatar.
 */
@Path("/players")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PlayerResource {

    public record JoinRequest(double x, double y) {
    }

    public record Joined(long playerId, String token, double x, double y) {
    }

    /** One action: {@code move} (x, y), {@code attack} (targetId), {@code harvest} (targetId),
     *  {@code trade} (targetId, give, take, items). */
    public record Action(String type, Double x, Double y, Long targetId, Long give, Long take, List<Long> items) {
    }

    /** What changed: the entities after the action, and the cells' new versions. */
    public record Outcome(List<EntityView> entities, long harvested) {
        static Outcome of(RmwResult r) {
            return new Outcome(r.getEntitiesList().stream().map(EntityView::of).toList(), r.getHarvested());
        }
    }

    public record EntityView(long id, String kind, Double x, Double y, long cellId, int hp, long gold, long amount,
                             String itemType, boolean dead) {
        static EntityView of(Entity e) {
            return new EntityView(e.getId(), e.getKind().name().replace("ENTITY_KIND_", "").toLowerCase(),
                    e.hasPosition() ? e.getPosition().getX() : null, e.hasPosition() ? e.getPosition().getY() : null,
                    e.getCellId(), e.getHp(), e.getGold(), e.getAmount(), e.getItemType(), e.getDead());
        }
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
        Session s = sessions.require(token, id);
        if (action == null || action.type() == null) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "an action needs a type: move, attack, harvest or trade");
        }
        Uni<RmwResult> done = switch (action.type()) {
            case "move" -> game.move(s, required(action.x(), "x"), required(action.y(), "y"));
            case "attack" -> game.attack(s, required(action.targetId(), "targetId"));
            case "harvest" -> game.harvest(s, required(action.targetId(), "targetId"));
            case "trade" -> game.trade(s, required(action.targetId(), "targetId"), orZero(action.give()),
                    orZero(action.take()), action.items() == null ? List.of() : action.items());
            default -> throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, "unknown action " + action.type()
                    + ": move, attack, harvest or trade");
        };
        return done.map(Outcome::of);
    }

    @GET
    @Path("/{id}/around")
    public Uni<List<EntityView>> look(@PathParam("id") long id, @HeaderParam("X-Session") String token,
                                      @QueryParam("radius") double radius) {
        return game.look(sessions.require(token, id), radius).map(list -> list.stream().map(EntityView::of).toList());
    }

    @DELETE
    @Path("/{id}")
    public Uni<Outcome> leave(@PathParam("id") long id, @HeaderParam("X-Session") String token) {
        return game.leave(sessions.require(token, id)).map(Outcome::of);
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new GameRefusal(GameRefusal.Reason.BAD_REQUEST, field + " is required for this action");
        }
        return value;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
