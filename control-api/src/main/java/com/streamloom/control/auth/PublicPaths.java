package com.streamloom.control.auth;

import io.vertx.core.http.HttpMethod;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one allowlist of what the control API serves without a credential, read only (GET and HEAD): health probes,
 * the OpenAPI document, Swagger UI (when {@code quarkus.swagger-ui.enabled} turns it on) and the dashboard's static
 * files, whose own API calls carry the admin token. Everything else needs a bearer token ({@link BearerAuth}).
 * Paths are canonical ({@link CanonicalPath}) and compared without regard to case, so a differently cased
 * spelling is never less protected than the plain one.
 */
final class PublicPaths {
    private static final Set<String> FILES = Set.of("/", "/index.html", "/dashboard.js", "/dashboard.css",
            "/favicon.svg", "/q/openapi");
    /** Trees served as a whole: the probes, the npm-built browser assets, Swagger UI. */
    private static final List<String> TREES = List.of("/q/health", "/vendor", "/q/swagger-ui");

    private PublicPaths() {
    }

    static boolean allows(HttpMethod method, String canonicalPath) {
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            return false;
        }
        String path = canonicalPath.toLowerCase(Locale.ROOT);
        return FILES.contains(path) || TREES.stream().anyMatch(tree -> isOrUnder(path, tree));
    }

    /** Whether {@code path} is {@code tree} or a path below it (not merely a longer name: /q/metricsx is not). */
    static boolean isOrUnder(String path, String tree) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.equals(tree) || lower.startsWith(tree + "/");
    }
}
