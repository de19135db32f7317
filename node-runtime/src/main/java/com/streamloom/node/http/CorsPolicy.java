package com.streamloom.node.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which browser origins may read and write through a node's HTTP server (Fetch standard, "CORS protocol"). Reads
 * (GET and HEAD: HLS, the player page, status) are open to any origin, so players on other sites work. Writes
 * (POST, PUT, DELETE: captions, spec changes) are allowed only from the listed origins, none by default: a page on
 * another site must not be able to drive the node's write API from a visitor's browser.
 *
 * <p>As a route handler it answers preflights ({@code OPTIONS}) and puts the CORS headers on every other answer,
 * errors included. Vert.x Web's {@code CorsHandler} is not used: it has one origin list for all methods and fails a
 * preflight from an unlisted origin with 403, where this policy opens reads to all and answers a disallowed
 * preflight with a 204 that allows nothing, so the browser alone withholds the request.
 */
public final class CorsPolicy implements Handler<RoutingContext> {
    private static final String READ_METHODS = "GET, HEAD, OPTIONS";
    private static final String ALL_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS";

    private final Set<String> writeOrigins;

    /** @param writeOrigins exact origins ({@code scheme://host[:port]}) allowed to write; empty for none */
    public CorsPolicy(List<String> writeOrigins) {
        this.writeOrigins = Set.copyOf(writeOrigins);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String origin = request.getHeader(HttpHeaderNames.ORIGIN);
        if (request.method() == io.vertx.core.http.HttpMethod.OPTIONS) {
            try {
                new HttpReply(204, null, Buffer.buffer(), preflightHeaders(origin,
                        request.getHeader(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD))).send(ctx);
            } catch (IllegalArgumentException e) {
                HttpReply.error(400, "bad Access-Control-Request-Method").send(ctx);
            }
            return;
        }
        responseHeaders(HttpMethod.valueOf(request.method().name()), origin).forEach(ctx.response()::putHeader);
        ctx.next();
    }

    /** Response headers for a request with {@code method} from {@code origin} (null when none was sent). */
    Map<String, String> responseHeaders(HttpMethod method, String origin) {
        if (isRead(method)) {
            return Map.of(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN.toString(), "*");
        }
        if (origin != null && writeOrigins.contains(origin)) {
            return Map.of(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN.toString(), origin,
                    HttpHeaderNames.VARY.toString(), "Origin");
        }
        return Map.of();
    }

    /**
     * Headers of the answer to a preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}): a read is
     * allowed from anywhere, a write only from a listed origin; otherwise the answer allows nothing and the
     * browser does not send the request.
     */
    Map<String, String> preflightHeaders(String origin, String requestedMethod) {
        Map<String, String> headers = new LinkedHashMap<>();
        boolean read = requestedMethod == null || isRead(HttpMethod.valueOf(requestedMethod.strip()));
        if (read) {
            headers.put(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN.toString(), "*");
            headers.put(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS.toString(), READ_METHODS);
            headers.put(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS.toString(), "Range");
        } else if (origin != null && writeOrigins.contains(origin)) {
            headers.put(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN.toString(), origin);
            headers.put(HttpHeaderNames.VARY.toString(), "Origin");
            headers.put(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS.toString(), ALL_METHODS);
            headers.put(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS.toString(), "Content-Type, Authorization, Range");
        } else {
            return Map.of(HttpHeaderNames.VARY.toString(), "Origin");
        }
        headers.put(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE.toString(), "600");
        return headers;
    }

    private static boolean isRead(HttpMethod method) {
        return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
    }
}
