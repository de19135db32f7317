package com.streamloom.node.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Routes by method and path pattern, e.g. {@code /api/streams/{name}/captions}: literal segments match exactly,
 * {@code {name}} matches one (already validated and decoded) segment. Routes may be added while serving.
 */
final class Router {
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    void add(HttpMethod method, String pattern, RouteHandler handler) {
        RequestPath path = RequestPath.parse(pattern);
        List<String> parts = path.segments();
        Set<String> names = new TreeSet<>();
        for (String part : parts) {
            if (isParam(part) && !names.add(part)) {
                throw new IllegalArgumentException("duplicate parameter " + part + " in " + pattern);
            }
        }
        for (Route existing : routes) {
            if (existing.method.equals(method) && existing.parts.equals(parts)) {
                throw new IllegalArgumentException("route " + method + " " + pattern + " already exists");
            }
        }
        routes.add(new Route(method, parts, handler));
    }

    /** The matching route and its parameters; null if no route has this path; a match with null handler (405). */
    Match match(HttpMethod method, RequestPath path) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> params = route.match(path.segments());
            if (params == null) {
                continue;
            }
            if (route.method.equals(method) || (method.equals(HttpMethod.HEAD) && route.method.equals(HttpMethod.GET))) {
                return new Match(route.handler, params, Set.of());
            }
            allowed.add(route.method.name());
        }
        return allowed.isEmpty() ? null : new Match(null, Map.of(), allowed);
    }

    record Match(RouteHandler handler, Map<String, String> params, Set<String> allowedMethods) {
    }

    private static boolean isParam(String part) {
        return part.length() > 2 && part.startsWith("{") && part.endsWith("}");
    }

    private record Route(HttpMethod method, List<String> parts, RouteHandler handler) {
        Map<String, String> match(List<String> segments) {
            if (segments.size() != parts.size()) {
                return null;
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < parts.size(); i++) {
                String part = parts.get(i);
                if (isParam(part)) {
                    params.put(part.substring(1, part.length() - 1), segments.get(i));
                } else if (!part.equals(segments.get(i))) {
                    return null;
                }
            }
            return params;
        }
    }
}
