package com.streamloom.node.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * A complete answer: status, type, body and extra headers; {@link #send} writes it (HEAD: the headers only, with
 * the length the GET body would have, RFC 9110 9.3.2). CORS headers are already on the response
 * ({@link CorsPolicy}).
 *
 * @param contentType Content-Type, or null for an empty body
 */
record HttpReply(int status, String contentType, Buffer body, Map<String, String> headers) {
    static final String NO_CACHE = "no-cache";

    HttpReply {
        headers = Map.copyOf(headers);
    }

    /** {@code {"error": message}} with its status, never cached. */
    static HttpReply error(int status, String message) {
        ApiResponse response = ApiResponse.error(status, message);
        return new HttpReply(status, response.contentType(), Buffer.buffer(response.body()),
                Map.of(HttpHeaders.CACHE_CONTROL.toString(), NO_CACHE));
    }

    HttpReply withHeader(String name, String value) {
        var copy = new java.util.HashMap<>(headers);
        copy.put(name, value);
        return new HttpReply(status, contentType, body, copy);
    }

    /** Writes the reply unless the response was already written or its connection has gone. */
    Future<Void> send(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        response.setStatusCode(status);
        headers.forEach(response::putHeader);
        if (contentType != null) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        }
        if (ctx.request().method() == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
            return response.end();
        }
        return response.end(body);
    }

    /**
     * Sends the reply and then closes an HTTP/1.x connection: after an answer given before the request body was
     * read (413), the rest of that body may still be arriving and cannot be told from the next request.
     */
    void sendAndClose(RoutingContext ctx) {
        if (ctx.request().version() != HttpVersion.HTTP_2) {
            withHeader(HttpHeaders.CONNECTION.toString(), "close").send(ctx)
                    .onComplete(done -> ctx.request().connection().close());
        } else {
            send(ctx);
        }
    }
}
