package com.streamloom.node.http;

import com.streamloom.spec.SpecException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's JSON API routes on a Vert.x Web {@link Router}: a pattern such as {@code /api/streams/{name}/captions}
 * becomes the route {@code /api/streams/:name/captions}, its body is read by a {@link BodyHandler} with the server's
 * body limit (413 beyond it), and the {@link RouteHandler} gets an {@link ApiRequest} with the parameters decoded by
 * {@link RequestPath}. A GET route also answers HEAD; a path with routes for other methods only answers 405 with
 * {@code Allow}. Routes may be added while serving.
 */
final class ApiRoutes {
    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
    /** API routes come after the built-in ones and before every 405 fallback. */
    private static final int FIRST_ORDER = 1_000;
    private static final int FALLBACK_ORDER = 1_000_000;

    private final Router router;
    private final BodyHandler bodies;
    /** Per route pattern (its path segments): the methods it has. */
    private final Map<List<String>, Set<String>> methods = new ConcurrentHashMap<>();
    private int nextOrder = FIRST_ORDER;

    ApiRoutes(Router router, int maxBodyBytes) {
        this.router = router;
        this.bodies = BodyHandler.create(false).setBodyLimit(maxBodyBytes).setHandleFileUploads(false);
    }

    synchronized void add(HttpMethod method, String pattern, RouteHandler handler) {
        List<String> parts = RequestPath.parse(pattern).segments();
        Set<String> names = new TreeSet<>();
        StringBuilder vertxPath = new StringBuilder();
        for (String part : parts) {
            if (isParam(part) && !names.add(part)) {
                throw new IllegalArgumentException("duplicate parameter " + part + " in " + pattern);
            }
            vertxPath.append('/').append(isParam(part) ? ":" + part.substring(1, part.length() - 1) : part);
        }
        Set<String> existing = methods.computeIfAbsent(parts, p -> new TreeSet<>());
        if (!existing.add(method.name())) {
            throw new IllegalArgumentException("route " + method + " " + pattern + " already exists");
        }
        String path = vertxPath.length() == 0 ? "/" : vertxPath.toString();
        Route route = router.route(path).order(nextOrder++).method(io.vertx.core.http.HttpMethod.valueOf(method.name()));
        if (method.equals(HttpMethod.GET)) {
            route.method(io.vertx.core.http.HttpMethod.HEAD);
        }
        route.handler(bodies).handler(ctx -> answer(ctx, method, parts, handler));
        if (existing.size() == 1) {
            router.route(path).order(FALLBACK_ORDER + nextOrder)
                    .handler(ctx -> methodNotAllowed(methods.get(parts)).handle(ctx));
        }
    }

    /**
     * A fallback after a path's routes: a method the path has went past them (nothing found there: next, 404);
     * another method is answered 405 with {@code Allow} (RFC 9110 15.5.6).
     */
    static Handler<RoutingContext> methodNotAllowed(Set<String> allowed) {
        return ctx -> {
            String method = ctx.request().method().name();
            if (allowed.contains(method) || method.equals("HEAD") && allowed.contains("GET")) {
                ctx.next();
                return;
            }
            HttpReply.error(405, "method not allowed").withHeader("Allow", String.join(", ", allowed)).send(ctx);
        };
    }

    private static void answer(RoutingContext ctx, HttpMethod method, List<String> parts, RouteHandler handler) {
        RequestPath path = ctx.get(HttpRouting.PATH);
        Map<String, List<String>> query;
        try {
            query = new QueryStringDecoder(ctx.request().uri()).parameters();
        } catch (IllegalArgumentException e) {
            HttpReply.error(400, "bad query string: " + e.getMessage()).send(ctx);
            return;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            if (isParam(parts.get(i))) {
                params.put(parts.get(i).substring(1, parts.get(i).length() - 1), path.get(i));
            }
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        ctx.request().headers().forEach(header -> headers.add(header.getKey(), header.getValue()));
        RequestBody body = ctx.body();
        Buffer bytes = body == null ? null : body.buffer();
        ApiRequest request = new ApiRequest(HttpMethod.valueOf(ctx.request().method().name()), path.toString(),
                params, query, headers, bytes == null ? new byte[0] : bytes.getBytes());
        ApiResponse response;
        try {
            response = handler.handle(request);
            if (response == null) {
                throw new IllegalStateException("route handler returned null");
            }
        } catch (ApiException e) {
            response = ApiResponse.error(e.status(), e.getMessage());
        } catch (SpecException e) {
            response = ApiResponse.error(400, e.getMessage());
        } catch (Exception e) {
            log.error("HTTP {} {}: handler failed", method, path, e);
            response = ApiResponse.error(500, "internal error");
        }
        new HttpReply(response.status(), response.contentType(), Buffer.buffer(response.body()), response.headers())
                .send(ctx);
    }

    private static boolean isParam(String part) {
        return part.length() > 2 && part.startsWith("{") && part.endsWith("}");
    }
}
