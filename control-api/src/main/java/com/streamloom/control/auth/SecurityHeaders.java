package com.streamloom.control.auth;

import com.streamloom.control.ControlConfig;
import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.cluster.NodeState;
import com.streamloom.control.service.PublicUrls;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.net.URI;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Browser hardening on every answer: a Content-Security-Policy that runs no inline script or style and loads
 * nothing from another origin, except the media the dashboard previews from the cluster's own nodes (hls.js fetches
 * their playlists and plays them through blob: URLs; the stream list shows their {@code thumbnail.jpg}s); {@code frame-ancestors 'none'} so no page can frame the
 * dashboard; {@code X-Content-Type-Options: nosniff}; no referrer leaves the page. Swagger UI (off unless
 * {@code quarkus.swagger-ui.enabled} turns it on) runs inline scripts, so it alone gets no script policy.
 */
@ApplicationScoped
public class SecurityHeaders {
    @Inject
    NodeRegistry nodes;
    @Inject
    ControlConfig config;
    @Inject
    PublicUrls urls;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 5).handler(this::addHeaders);
    }

    private void addHeaders(RoutingContext rc) {
        var headers = rc.response().headers();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Frame-Options", "DENY");
        boolean swagger = CanonicalPath.of(rc.request().path())
                .map(p -> PublicPaths.isOrUnder(p, "/q/swagger-ui")).orElse(false);
        boolean page = CanonicalPath.of(rc.request().path()).map(DASHBOARD_PAGES::contains).orElse(false);
        headers.set("Content-Security-Policy", swagger ? "frame-ancestors 'none'" : policy(page));
        rc.next();
    }

    /** The documents a browser renders: only their policy names the nodes (a policy applies to its document). */
    private static final java.util.Set<String> DASHBOARD_PAGES = java.util.Set.of("/", "/index.html");

    /**
     * The dashboard's policy. On its page it lists the nodes' origins, which change as nodes join, so it is built per
     * answer; every other answer (API, heartbeats, scripts) gets the same policy without them: with a thousand nodes
     * the list would make every heartbeat answer's header larger than HTTP clients accept.
     */
    String policy(boolean page) {
        String media = page ? String.join(" ", mediaOrigins()) : "";
        return "default-src 'none'; script-src 'self'; style-src 'self'; "
                + ("img-src 'self' data: " + media).trim() + "; font-src 'self'; "
                + ("connect-src 'self' " + media).trim() + "; " + ("media-src 'self' blob: " + media).trim()
                + "; worker-src 'self' blob:; "
                + "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";
    }

    /**
     * scheme://host:port of every node's HTTP, as advertised and as shown to people (the public host), and of the
     * public HLS base: where previews load from.
     */
    TreeSet<String> mediaOrigins() {
        TreeSet<String> origins = new TreeSet<>();
        origin(config.publicHlsUrl()).ifPresent(origins::add);
        for (NodeState node : nodes.all()) {
            origin(node.httpUrl()).ifPresent(origins::add);
            if (node.httpUrl() != null) {
                origin(urls.forPeople(node.httpUrl())).ifPresent(origins::add);
            }
        }
        return origins;
    }

    static Optional<String> origin(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                return Optional.empty();
            }
            return Optional.of(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
