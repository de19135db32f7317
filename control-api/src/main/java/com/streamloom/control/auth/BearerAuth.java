package com.streamloom.control.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.ControlConfig;
import com.streamloom.control.api.ProblemMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * Bearer tokens on every API call (issue 4 line 3), checked on the Vert.x router before anything else runs, so it
 * also guards the metrics and costs the heartbeat path no extra thread hop.
 * <ul>
 *   <li>{@code /api/**} and {@code /q/metrics}: the admin token may call everything; the node token only a node's
 *       heartbeat and publish-check. No or an unknown token: 401; the node token elsewhere: 403.</li>
 *   <li>{@code /q/health*}, {@code /q/openapi}, {@code /q/swagger-ui} and static pages: open (probes, docs, and
 *       the dashboard's files, whose calls carry the token).</li>
 * </ul>
 */
@ApplicationScoped
public class BearerAuth {
    /** The only calls a node token may make. */
    static final Pattern NODE_CALLS = Pattern.compile("/api/v1/nodes/[^/]+/(heartbeat|publish-check)/?");

    enum Role { ADMIN, NODE }

    @Inject
    ControlConfig config;
    @Inject
    ObjectMapper json;

    private byte[] adminToken;
    private byte[] nodeToken;

    void install(@Observes Router router) {
        adminToken = config.adminToken().getBytes(StandardCharsets.UTF_8);
        nodeToken = config.nodeToken().getBytes(StandardCharsets.UTF_8);
        if (config.adminToken().length() < 12 || config.nodeToken().length() < 12) {
            throw new IllegalStateException("streamloom.admin-token and streamloom.node-token need 12 characters or more");
        }
        if (config.adminToken().equals(config.nodeToken())) {
            throw new IllegalStateException("streamloom.admin-token and streamloom.node-token must differ");
        }
        router.route().order(Integer.MIN_VALUE + 10).handler(this::check);
    }

    private void check(RoutingContext rc) {
        String path = rc.normalizedPath();
        boolean guarded = path.startsWith("/api/") || path.equals("/api") || path.startsWith("/q/metrics");
        if (!guarded) {
            rc.next();
            return;
        }
        Role role = role(rc.request().getHeader("Authorization"));
        if (role == null) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"streamloom\"");
            deny(rc, 401, "a valid bearer token is required (Authorization: Bearer <token>)");
        } else if (role == Role.NODE && !NODE_CALLS.matcher(path).matches()) {
            deny(rc, 403, "the node token may only heartbeat and check publishes; use the admin token");
        } else {
            rc.next();
        }
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
