package com.streamloom.node.http;

import com.streamloom.media.hls.HlsStreams;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The routes of a node's HTTP server, in the order a request meets them: connection bookkeeping for
 * {@link ConnectionGuard}, {@link CorsPolicy} (preflights answered here), the path check ({@link RequestPath}: 400
 * for anything that could escape a directory), then {@code /hls/...} ({@link HlsRoutes}), {@code /metrics}
 * ({@link MetricsEndpoint}), the player page and {@code /static/...} ({@link StaticRoutes}) and the API routes
 * ({@link ApiRoutes}). Every error is the JSON {@code {"error": ...}} with its status.
 */
final class HttpRouting {
    private static final Logger log = LoggerFactory.getLogger(HttpRouting.class);
    /** Where the checked {@link RequestPath} of a request is kept in its routing context. */
    static final String PATH = "streamloom.path";
    private static final int BUILT_IN_ORDER = 100;
    /** The methods of the built-in routes (ordered, as the Allow header lists them). */
    static final Set<String> READ_METHODS = Collections.unmodifiableSortedSet(new TreeSet<>(List.of("GET", "HEAD")));

    private final Router router;
    private final ApiRoutes api;
    private final MetricsEndpoint metrics;

    HttpRouting(Vertx vertx, HttpServerSettings settings, HlsStreams streams, PrometheusMeterRegistry registry) {
        router = Router.router(vertx);
        api = new ApiRoutes(router, settings.maxBodyBytes());
        metrics = registry == null ? null : new MetricsEndpoint(registry, settings.metricsInterval());
        HlsRoutes hls = new HlsRoutes(streams);
        router.route().order(-3).handler(HttpRouting::track);
        router.route().order(-2).handler(new CorsPolicy(settings.corsAllowedOrigins()));
        router.route().order(-1).handler(HttpRouting::checkPath);
        readOnly("/hls/*", BUILT_IN_ORDER, ctx -> serveHls(ctx, hls));
        readOnly("/metrics", BUILT_IN_ORDER + 2, this::serveMetrics);
        StaticRoutes.install(router, BUILT_IN_ORDER + 4);
        errors();
    }

    Router router() {
        return router;
    }

    ApiRoutes api() {
        return api;
    }

    /** How many times /metrics was rendered; 0 without a registry. */
    long metricsRenders() {
        return metrics == null ? 0 : metrics.renders();
    }

    private void readOnly(String path, int order, io.vertx.core.Handler<RoutingContext> handler) {
        router.route(path).order(order).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(handler);
        router.route(path).order(order + 1).handler(ApiRoutes.methodNotAllowed(READ_METHODS));
    }

    /** Tells the connection's guard that a request head arrived, and when its answer is done. */
    private static void track(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        ConnectionGuard guard = request.connection() instanceof ConnectionBase connection
                ? ConnectionGuard.of(connection.channel()) : null;
        if (guard != null) {
            if (request.version() == HttpVersion.HTTP_2) {
                guard.multiplexed();
            } else {
                guard.headReceived();
                ctx.addEndHandler(done -> guard.requestDone());
            }
        }
        ctx.next();
    }

    private static void checkPath(RoutingContext ctx) {
        try {
            ctx.put(PATH, RequestPath.parse(ctx.request().uri()));
        } catch (IllegalArgumentException e) {
            HttpReply.error(400, "bad path: " + e.getMessage()).send(ctx);
            return;
        }
        ctx.next();
    }

    private static void serveHls(RoutingContext ctx, HlsRoutes hls) {
        Context context = Vertx.currentContext();
        CompletableFuture<HttpReply> reply = hls.serve(ctx.get(PATH), ctx.request().uri(),
                ctx.request().getHeader("Range"), context);
        if (reply.isDone()) {
            reply.join().send(ctx);
            return;
        }
        // A held request (blocking reload, preload hint): answered when the packager gets there or the wait ends.
        reply.whenComplete((answer, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                log.error("HTTP {} failed", withoutQuery(ctx.request().uri()), failure);
                HttpReply.error(500, "internal error").send(ctx);
            } else {
                answer.send(ctx);
            }
        }));
    }

    private void serveMetrics(RoutingContext ctx) {
        if (metrics == null) {
            HttpReply.error(404, "no metrics").send(ctx);
            return;
        }
        Context context = Vertx.currentContext();
        metrics.text(ctx.vertx()).onComplete(text -> context.runOnContext(v -> {
            if (text.succeeded()) {
                new HttpReply(200, MetricsEndpoint.CONTENT_TYPE, text.result(),
                        Map.of(HttpHeaders.CACHE_CONTROL.toString(), HttpReply.NO_CACHE)).send(ctx);
            } else {
                log.error("rendering /metrics failed", text.cause());
                HttpReply.error(500, "internal error").send(ctx);
            }
        }));
    }

    private void errors() {
        router.errorHandler(400, ctx -> HttpReply.error(400, "bad request").send(ctx));
        router.errorHandler(404, ctx -> HttpReply.error(404, "not found").send(ctx));
        router.errorHandler(405, ctx -> HttpReply.error(405, "method not allowed").send(ctx));
        router.errorHandler(413, ctx -> HttpReply.error(413, "request body too large").sendAndClose(ctx));
        router.errorHandler(417, ctx -> HttpReply.error(417, "only Expect: 100-continue is understood").send(ctx));
        router.errorHandler(500, ctx -> {
            log.error("HTTP {} {} failed", ctx.request().method(), withoutQuery(ctx.request().uri()), ctx.failure());
            HttpReply.error(500, "internal error").send(ctx);
        });
    }

    /** The URI as logged: its query may hold a playback token, a credential that must not reach a log. */
    private static String withoutQuery(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query) + "?…";
    }
}
