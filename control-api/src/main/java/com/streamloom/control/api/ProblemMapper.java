package com.streamloom.control.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place errors become responses: {@code {"status":400,"error":"stages[0].sigma: must be ...","field":
 * "stages[0].sigma"}}. Bad input is always a 4xx; only a fault of ours is a 500, logged with its
 * stack trace and answered without internals.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    /** The JSON problem body. {@code field} is the JSON path of the offending field, when there is one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(int status, String error, String field) {
    }

    public static Response problem(int status, String error, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new Problem(status, error, field))
                .build();
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return problem(e.status(), e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return jsonProblem(e);
    }

    /** Declared for the exact type: Quarkus ships its own mapper for it, which would otherwise win. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return jsonProblem(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException j) {
                return jsonProblem(j);
            }
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String message = e.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase() : e.getMessage();
        return problem(status, message, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (DatabaseFaults.unavailable(e)) {
            // not our fault and not lasting: the client may retry, and the log need not carry a stack per request
            LOG.warnf("database unavailable: %s", e.getMessage());
            return Response.fromResponse(problem(503, "the database is unavailable; try again shortly", null))
                    .header("Retry-After", "5").build();
        }
        LOG.error("unexpected error", e);
        return problem(500, "internal error; see the control API's log", null);
    }

    private static Response jsonProblem(JsonProcessingException e) {
        return JsonProblems.of(e);
    }
}
