package com.streamloom.control.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.ControlConfig;
import com.streamloom.control.api.ProblemMapper;
import com.streamloom.control.service.NodeCredentials;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bearer tokens on every API call, checked on the Vert.x router before anything else runs, so it
 * also guards the metrics and costs the heartbeat path no extra thread hop. A credential for each purpose:
 * <ul>
 *   <li>{@code /api/**} and {@code /q/metrics}: the admin token may call everything; the cluster's join token only
 *       {@code POST /api/v1/nodes/{id}/enrol}; a node's own credential ({@link NodeCredentials}) only that node's
 *       heartbeat and publish-check, for the node id it was issued to; the metrics token (optional,
 *       {@code streamloom.metrics-token}) only {@code GET /q/metrics} and below. No or an unknown token: 401; a
 *       known token elsewhere: 403.</li>
 *   <li>{@code /q/health*}, {@code /q/openapi}, {@code /q/swagger-ui} and static pages: open (probes, docs, and
 *       the dashboard's files, whose calls carry the token).</li>
 * </ul>
 */
@ApplicationScoped
public class BearerAuth {
    /** The only calls a node credential may make; group 1 is the node id, which must be the credential's. */
    static final Pattern NODE_CALLS =
            Pattern.compile("/api/v1/nodes/([^/]+)/(heartbeat|publish-check)", Pattern.CASE_INSENSITIVE);
    /** The only call the join token may make (with POST). */
    static final Pattern ENROL = Pattern.compile("/api/v1/nodes/[^/]+/enrol", Pattern.CASE_INSENSITIVE);

    enum Role { ADMIN, JOIN, NODE, METRICS }

    /** Who presented the token: its role, and for {@link Role#NODE} the node id the credential names. */
    record Caller(Role role, String nodeId) {
    }

    @Inject
    ControlConfig config;
    @Inject
    ObjectMapper json;
    @Inject
    NodeCredentials credentials;

    private byte[] adminToken;
    private byte[] joinToken;
    /** Null when no metrics token is configured: then no presented token is the metrics role. */
    private byte[] metricsToken;

    void install(@Observes Router router) {
        useTokens(config.adminToken(), config.joinToken(), config.metricsToken());
        router.route().order(Integer.MIN_VALUE + 10).handler(this::check);
    }

    /** Checks the configured tokens (start-up fails with the message otherwise) and keeps them for {@link #caller}. */
    void useTokens(String admin, String join, Optional<String> metrics) {
        validate(admin, join, metrics);
        adminToken = admin.getBytes(StandardCharsets.UTF_8);
        joinToken = join.getBytes(StandardCharsets.UTF_8);
        metricsToken = metrics.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /**
     * Start-up refuses a token that anyone could guess ({@link TokenPolicy}: a placeholder, under 24 characters, low
     * entropy), naming the setting, and tokens that are shared between purposes.
     */
    static void validate(String admin, String join, Optional<String> metrics) {
        TokenPolicy.require("streamloom.admin-token (STREAMLOOM_ADMIN_TOKEN)", admin);
        TokenPolicy.require("streamloom.node-token (STREAMLOOM_NODE_TOKEN)", join);
        if (admin.equals(join)) {
            throw new IllegalStateException("streamloom.admin-token and streamloom.node-token must differ");
        }
        if (metrics.isPresent()) {
            String m = metrics.get();
            TokenPolicy.require("streamloom.metrics-token (STREAMLOOM_METRICS_TOKEN)", m);
            if (m.equals(admin) || m.equals(join)) {
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
        if (PublicPaths.allows(rc.request().method(), path)) {
            route(rc, raw, path);
            return;
        }
        String token = bearer(rc.request().getHeader("Authorization"));
        Caller caller = token == null ? null : caller(token);
        if (caller == null && token != null && credentials.mayBeCredential(token)) {
            // A credential another replica issued since this one last loaded them: one lookup off the event loop.
            rc.request().pause();
            rc.vertx().executeBlocking(() -> credentials.lookup(token), false).onComplete(found -> {
                rc.request().resume();
                if (found.failed()) {
                    deny(rc, 503, "the credential cannot be checked right now; try again");
                } else {
                    authorize(rc, raw, path, found.result().map(id -> new Caller(Role.NODE, id)).orElse(null));
                }
            });
            return;
        }
        authorize(rc, raw, path, caller);
    }

    private void authorize(RoutingContext rc, String raw, String path, Caller caller) {
        if (caller == null) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"streamloom\"");
            deny(rc, 401, "a valid bearer token is required (Authorization: Bearer <token>)");
            return;
        }
        String refusal = switch (caller.role()) {
            // Heartbeats, publish-checks and enrolment are a node's own calls: the admin token cannot act as a node.
            case ADMIN -> NODE_CALLS.matcher(path).matches() || ENROL.matcher(path).matches()
                    ? "heartbeats, publish-checks and enrolment are a node's own calls (its credential, the join token)"
                    : null;
            case NODE -> nodeCall(caller.nodeId(), path);
            case JOIN -> HttpMethod.POST.equals(rc.request().method()) && ENROL.matcher(path).matches() ? null
                    : "the join token may only enrol a node (POST /api/v1/nodes/{nodeId}/enrol); heartbeats and "
                    + "publish-checks take the node's own credential";
            case METRICS -> metricsRead(rc.request().method(), path) ? null
                    : "the metrics token may only read GET /q/metrics; use the admin token";
        };
        if (refusal != null) {
            deny(rc, 403, refusal);
            return;
        }
        route(rc, raw, path);
    }

    /** Why a node credential may not make this call, or null when it may: its own heartbeat or publish-check. */
    static String nodeCall(String credentialNodeId, String path) {
        Matcher m = NODE_CALLS.matcher(path);
        if (!m.matches()) {
            return "a node credential may only heartbeat and check publishes; use the admin token";
        }
        // Exact comparison: node ids are case-sensitive, so a credential speaks for its own spelling only.
        return m.group(1).equals(credentialNodeId) ? null
                : "this node credential was issued to another node id; each node calls only as itself";
    }

    private void route(RoutingContext rc, String raw, String path) {
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

    /** The token of an {@code Authorization: Bearer} header, or null when there is none. */
    static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** The caller a token names, from memory; null for an unknown token. */
    Caller caller(String token) {
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        // Constant-time comparisons: the time taken says nothing about how much of a token was right.
        if (MessageDigest.isEqual(presented, adminToken)) {
            return new Caller(Role.ADMIN, null);
        }
        if (MessageDigest.isEqual(presented, joinToken)) {
            return new Caller(Role.JOIN, null);
        }
        if (metricsToken != null && MessageDigest.isEqual(presented, metricsToken)) {
            return new Caller(Role.METRICS, null);
        }
        // Looked up by SHA-256: a hash-table probe reveals nothing about the credential itself.
        return credentials.nodeOf(token).map(id -> new Caller(Role.NODE, id)).orElse(null);
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
