package com.streamloom.node.http;

import com.streamloom.node.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A request as a route handler sees it: fully read, independent of Netty's reference-counted buffers.
 *
 * @param method      the HTTP method
 * @param path        the decoded path, e.g. /api/streams/cam1/captions
 * @param pathParams  values of the route pattern's {placeholders}, percent-decoded
 * @param queryParams query string parameters
 * @param headers     request headers (a copy)
 * @param body        the body, at most the server's maxBodyBytes
 */
public record ApiRequest(HttpMethod method, String path, Map<String, String> pathParams,
                         Map<String, List<String>> queryParams, HttpHeaders headers, byte[] body) {

    /** A path parameter; the route pattern guarantees it exists. */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route has no path parameter " + name);
        }
        return value;
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> values = queryParams.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body as JSON of the given type, never null; a malformed or mismatched body (JSON {@code null} included) is
     * a 400 with the parser's reason.
     */
    public <T> T bodyAs(Class<T> type) {
        if (body.length == 0) {
            throw ApiException.badRequest("a JSON body is required");
        }
        try {
            T value = Json.STRICT.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("a JSON object is required, not null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("invalid JSON: " + e.getMessage());
        }
    }
}
