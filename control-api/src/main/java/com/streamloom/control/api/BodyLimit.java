package com.streamloom.control.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bodies over {@code quarkus.http.limits.max-body-size} are refused with 413 and the same JSON problem body as every
 * other error (Quarkus' own checks answer 413 with no body), and the connection is closed: the rest of the body is
 * not read.
 * <ul>
 *   <li>A body that declares its length (Content-Length) is refused before any of it is read.</li>
 *   <li>A chunked HTTP/1.1 body is read here, up to the limit, and refused as soon as it passes it; a body within
 *       the limit goes on to the resource already read (the REST layer takes a body that is already read).</li>
 *   <li>An HTTP/2 body without content-length is left to Quarkus' own limit (413 without the JSON body): over HTTP/2
 *       the REST layer cannot take a request whose body was read before it (Vert.x refuses to pause an ended
 *       HTTP/2 request), and a GET's end of stream may come in a frame of its own, so this cannot tell it apart.</li>
 * </ul>
 */
@ApplicationScoped
public class BodyLimit {
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;
    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        // after the security headers (MIN_VALUE + 5), so the refusal carries them too
        router.route().order(Integer.MIN_VALUE + 7).handler(this::check).failureHandler(this::refuseIfTooLarge);
    }

    private void check(RoutingContext rc) {
        String declared = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared == null) {
            if (hasBodyOfUnknownLength(rc.request())) {
                // Fails the request with 413 once the body passes the limit, which refuseIfTooLarge answers.
                BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue()).handle(rc);
            } else {
                rc.next();
            }
            return;
        }
        long length;
        try {
            length = Long.parseLong(declared.strip());
        } catch (NumberFormatException e) {
            length = -1; // Vert.x refuses a malformed Content-Length itself
        }
        if (length <= maxBodySize.asLongValue()) {
            rc.next();
            return;
        }
        refuse(rc, "the request body has " + length + " bytes; the limit is " + maxBodySize.asLongValue()
                + " (quarkus.http.limits.max-body-size)");
    }

    private static boolean hasBodyOfUnknownLength(HttpServerRequest request) {
        return request.version() != HttpVersion.HTTP_2 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private void refuseIfTooLarge(RoutingContext rc) {
        if (rc.statusCode() != 413 || rc.response().headWritten()) {
            rc.next();
            return;
        }
        refuse(rc, "the request body is larger than the limit of " + maxBodySize.asLongValue()
                + " bytes (quarkus.http.limits.max-body-size)");
    }

    private void refuse(RoutingContext rc, String message) {
        String body;
        try {
            body = json.writeValueAsString(new ProblemMapper.Problem(413, message, null));
        } catch (JsonProcessingException e) {
            body = "{\"status\":413}";
        }
        rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .endHandler(v -> rc.request().connection().close())
                .end(body);
    }
}
