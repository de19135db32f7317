package com.streamloom.control.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.ControlConfig;
import com.streamloom.control.api.ProblemMapper;
import com.streamloom.spec.TokenPolicy;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bearer tokens on every API call (issue 4 line 3), checked on the Vert.x router before anything else runs, so it
 * also guards the metrics and costs the heartbeat path no extra thread hop.
 * <ul>
 *   <li>{@code /api/**} and {@code /q/metrics}: the admin token may call everything; the node token only a node's
 *       heartbeat and publish-check; the metrics token (optional, {@code streamloom.metrics-token}) only
 *       {@code GET /q/metrics} and below. No or an unknown token: 401; a node or metrics token elsewhere: 403.</li>
 *   <li>{@code /q/health*}, {@code /q/openapi}, {@code /q/swagger-ui} and static pages: open (probes, docs, and
 *       the dashboard's files, whose calls carry the token).</li>
 * </ul>
 */
@ApplicationScoped
public class BearerAuth {
    /** The only calls a node token may make. */
    static final Pattern NODE_CALLS =
            Pattern.compile("/api/v1/nodes/[^/]+/(heartbeat|publish-check)", Pattern.CASE_INSENSITIVE);

    enum Role { ADMIN, NODE, METRICS }

    @Inject
    ControlConfig config;
    @Inject
    ObjectMapper json;

    private byte[] adminToken;
    private byte[] nodeToken;
    /** Null when no metrics token is configured: then no presented token is the metrics role. */
    private byte[] metricsToken;

    void install(@Observes Router router) {
        useTokens(config.adminToken(), config.nodeToken(), config.metricsToken());
        router.route().order(Integer.MIN_VALUE + 10).handler(this::check);
    }

    /** Checks the configured tokens (start-up fails with the message otherwise) and keeps them for {@link #role}. */
    void useTokens(String admin, String node, Optional<String> metrics) {
        validate(admin, node, metrics);
        adminToken = admin.getBytes(StandardCharsets.UTF_8);
        nodeToken = node.getBytes(StandardCharsets.UTF_8);
        metricsToken = metrics.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /**
     * Start-up refuses a token that anyone could guess ({@link TokenPolicy}: a placeholder, under 24 characters, low
     * entropy), naming the setting, and tokens that are shared between purposes.
     */
    static void validate(String admin, String node, Optional<String> metrics) {
        TokenPolicy.require("streamloom.admin-token (STREAMLOOM_ADMIN_TOKEN)", admin);
        TokenPolicy.require("streamloom.node-token (STREAMLOOM_NODE_TOKEN)", node);
        if (admin.equals(node)) {
            throw new IllegalStateException("streamloom.admin-token and streamloom.node-token must differ");
        }
        if (metrics.isPresent()) {
            String m = metrics.get();
            TokenPolicy.require("streamloom.metrics-token (STREAMLOOM_METRICS_TOKEN)", m);
            if (m.equals(admin) || m.equals(node)) {
                throw new IllegalStateException("streamloom.metrics-token (STREAMLOOM_METRICS_TOKEN) must differ from "
                        + "streamloom.admin-token and streamloom.node-token");
            }
        }
    }

    /**
     * Deny by default: the canonical form of the path ({@link CanonicalPath}) decides which credential a request
     * needs, and a request is routed only when its raw path is spelled in that form (or its directory form with one
     * trailing slash, {@link CanonicalPath#isRoutable}), so no spelling (matrix parameters, escapes, {@code //}, dot
     * segments, case) reaches a route the check did not see.
     */
    private void check(RoutingContext rc) {
        String raw = rc.request().path();
        Optional<String> canonical = CanonicalPath.of(raw);
        if (canonical.isEmpty()) {
            deny(rc, 400, "the request path cannot be read (malformed percent-escape or control character)");
            return;
        }
        String path = canonical.get();
        if (!PublicPaths.allows(rc.request().method(), path)) {
            Role role = role(rc.request().getHeader("Authorization"));
            if (role == null) {
                rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"streamloom\"");
                deny(rc, 401, "a valid bearer token is required (Authorization: Bearer <token>)");
                return;
            }
            if (role == Role.NODE && !NODE_CALLS.matcher(path).matches()) {
                deny(rc, 403, "the node token may only heartbeat and check publishes; use the admin token");
                return;
            }
            if (role == Role.METRICS && !metricsRead(rc.request().method(), path)) {
                deny(rc, 403, "the metrics token may only read GET /q/metrics; use the admin token");
                return;
            }
        }
        if (!CanonicalPath.isRoutable(raw, path)) {
            deny(rc, 400, "spell the request path plainly: no matrix parameters, percent-escapes, empty or dot "
                    + "segments");
            return;
        }
        rc.next();
    }

    /** The only calls a metrics token may make: GET /q/metrics and the paths below it. */
    static boolean metricsRead(HttpMethod method, String path) {
        return HttpMethod.GET.equals(method) && PublicPaths.isOrUnder(path, "/q/metrics");
    }

    Role role(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        // Constant-time comparisons: the time taken says nothing about how much of a token was right.
        if (MessageDigest.isEqual(presented, adminToken)) {
            return Role.ADMIN;
        }
        if (MessageDigest.isEqual(presented, nodeToken)) {
            return Role.NODE;
        }
        if (metricsToken != null && MessageDigest.isEqual(presented, metricsToken)) {
            return Role.METRICS;
        }
        return null;
    }

    private void deny(RoutingContext rc, int status, String message) {
        String body;
        try {
            body = json.writeValueAsString(new ProblemMapper.Problem(status, message, null));
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + "}";
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
