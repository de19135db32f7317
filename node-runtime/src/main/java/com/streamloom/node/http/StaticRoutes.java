package com.streamloom.node.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /static/...} and {@code /} (the player page) from {@value #WEB_ROOT} on the classpath, by Vert.x Web's
 * {@link StaticHandler}: Last-Modified with conditional GET (304), HEAD, ranges. The player page is revalidated on
 * every load ({@code no-cache}) so a new release shows at once; its scripts and hls.js may be cached for a few
 * minutes. Only names with a known extension are served (which also keeps directories from being listed), with
 * the types below rather than Vert.x's defaults ({@code text/javascript}, RFC 9239).
 */
final class StaticRoutes {
    static final String ROOT = "static";
    /**
     * Where the files are. Vert.x resolves a relative web root in the working directory before the classpath, so the
     * root is our own package path, which no operator's working directory holds by chance: a {@code static/} folder
     * wherever the node was started must never be served.
     */
    static final String WEB_ROOT = "com/streamloom/node/static";
    private static final String STATIC_CACHE = "public, max-age=300";
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"));

    private StaticRoutes() {
    }

    static void install(Router router, int order) {
        StaticHandler files = StaticHandler.create(WEB_ROOT).setCachingEnabled(true).setMaxAgeSeconds(300)
                .setDirectoryListing(false).setIncludeHidden(false).setSendVaryHeader(false);
        router.route("/").order(order).method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(ctx -> ctx.reroute("/" + ROOT + "/index.html"));
        router.route("/" + ROOT + "/*").order(order + 1).method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(StaticRoutes::typeAndCaching).handler(files);
        for (String path : List.of("/", "/" + ROOT + "/*")) {
            router.route(path).order(order + 2).handler(ApiRoutes.methodNotAllowed(HttpRouting.READ_METHODS));
        }
    }

    private static void typeAndCaching(RoutingContext ctx) {
        RequestPath path = ctx.get(HttpRouting.PATH);
        String name = path.size() < 2 ? "" : path.get(path.size() - 1);
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : CONTENT_TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            HttpReply.error(404, "not found").send(ctx);
            return;
        }
        // StaticHandler keeps a Cache-Control that is already set and sets its own Content-Type: ours win.
        ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, name.endsWith(".html") ? HttpReply.NO_CACHE : STATIC_CACHE);
        ctx.addHeadersEndHandler(v -> {
            int status = ctx.response().getStatusCode();
            if (status == 200 || status == 206 || status == 304) {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type);
            }
        });
        ctx.next();
    }
}
