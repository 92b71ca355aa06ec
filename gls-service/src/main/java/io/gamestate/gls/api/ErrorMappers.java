package io.gamestate.gls.api;

import io.gamestate.gls.client.Downstream;
import io.gamestate.gls.game.GameRefusal;
import io.grpc.Status;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every refusal becomes a 4xx with a message a player can read; a sick downstream a quick 503. */
public class ErrorMappers {

    public record Error(String error, String message) {
    }

    @ServerExceptionMapper
    public Response refused(GameRefusal e) {
        int status = switch (e.reason()) {
            case BAD_REQUEST -> 400;
            case FORBIDDEN -> 403;
            case NOT_ALLOWED -> 409;
        };
        return Response.status(status).entity(new Error(e.reason().name().toLowerCase(), e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response storeRefused(Downstream.Refused e) {
        int status = e.code() == Status.Code.NOT_FOUND ? 404 : e.code() == Status.Code.INVALID_ARGUMENT ? 400 : 409;
        return Response.status(status).entity(new Error(e.code().name().toLowerCase(), e.getMessage())).build();
    }

    @ServerExceptionMapper({Downstream.Unavailable.class, CircuitBreakerOpenException.class, BulkheadException.class,
        TimeoutException.class})
    public Response unavailable(Exception e) {
        return Response.status(503).header("Retry-After", "1")
                .entity(new Error("unavailable", "the game state is unavailable right now, try again: " + e.getMessage()))
                .build();
    }
}
