package com.streamloom.control.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body declared larger than {@code quarkus.http.limits.max-body-size} is refused before it is read, with the same
 * JSON problem body as every other error (Quarkus' own check, which runs later, would answer 413 with no body). The
 * connection is closed: the rest of the body is not read.
 */
@ApplicationScoped
public class BodyLimit {
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;
    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        // after the security headers (MIN_VALUE + 5), so the refusal carries them too
        router.route().order(Integer.MIN_VALUE + 7).handler(this::check);
    }

    private void check(RoutingContext rc) {
        String declared = rc.request().getHeader("Content-Length");
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.strip());
        } catch (NumberFormatException e) {
            length = -1; // Vert.x refuses a malformed Content-Length itself
        }
        if (length <= maxBodySize.asLongValue()) {
            rc.next();
            return;
        }
        String body;
        try {
            body = json.writeValueAsString(new ProblemMapper.Problem(413, "the request body has " + length
                    + " bytes; the limit is " + maxBodySize.asLongValue() + " (quarkus.http.limits.max-body-size)",
                    null));
        } catch (JsonProcessingException e) {
            body = "{\"status\":413}";
        }
        rc.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close").end(body);
    }
}
