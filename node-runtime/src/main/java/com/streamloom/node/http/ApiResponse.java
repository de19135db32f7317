package com.streamloom.node.http;

import com.streamloom.node.Json;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a route handler returns.
 *
 * @param status      HTTP status code
 * @param contentType Content-Type, or null for an empty body
 * @param body        the body (empty for 204)
 * @param headers     extra headers, e.g. Location or Cache-Control
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON_TYPE = "application/json";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    /** 200 with the value as JSON. */
    public static ApiResponse json(Object value) {
        return json(200, value);
    }

    public static ApiResponse json(int status, Object value) {
        try {
            return new ApiResponse(status, JSON_TYPE, Json.STRICT.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    public static ApiResponse text(int status, String text) {
        return new ApiResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** {@code {"error": message}} with a 4xx or 5xx status. */
    public static ApiResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, new byte[0], Map.of());
    }

    public ApiResponse withHeader(String name, String value) {
        var copy = new java.util.HashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, contentType, body, copy);
    }
}
