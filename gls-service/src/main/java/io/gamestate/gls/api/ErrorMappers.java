package io.gamestate.gls.api;

import io.gamestate.gls.client.Downstream;
import io.gamestate.gls.game.GameRefusal;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every refusal becomes a 4xx with a message a player can read; a sick downstream a quick 503; a failed one 500. */
public class ErrorMappers {

    @ServerExceptionMapper({GameRefusal.class, Downstream.Refused.class, Downstream.Unavailable.class,
        Downstream.TooSlow.class, Downstream.Failed.class, CircuitBreakerOpenException.class, BulkheadException.class})
    public Response problem(Exception e) {
        Problem p = Problem.of(e);
        Response.ResponseBuilder response = Response.status(p.status()).entity(p);
        return p.status() == 503 ? response.header("Retry-After", "1").build() : response.build();
    }
}
