package com.streamloom.node.http;

/**
 * Handles one API route. Runs on a Netty I/O thread, so it must not block (look things up, enqueue work, answer).
 * Throw {@link ApiException} for a 4xx; a {@code SpecException} (bad spec) becomes a 400; anything else a 500.
 */
@FunctionalInterface
public interface RouteHandler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
