package com.streamloom.node.http;

import java.time.Duration;
import java.util.List;

/**
 * Limits and address of a {@link MediaHttpServer}; every limit has a safe default.
 *
 * @param host               address to bind, e.g. 0.0.0.0
 * @param port               TCP port (edge 8081, compositor 8082; 0 picks a free one, for tests)
 * @param maxBodyBytes       largest request body; larger gets 413 (API bodies are small JSON)
 * @param maxInitialLineBytes longest request line
 * @param maxHeaderBytes     largest header block
 * @param idleTimeout        a connection with no traffic for this long is closed
 * @param corsAllowedOrigins origins whose pages may call write routes from a browser ({@link CorsPolicy}); none
 *                           by default
 */
public record HttpServerSettings(String host, int port, int maxBodyBytes, int maxInitialLineBytes, int maxHeaderBytes,
                                 Duration idleTimeout, List<String> corsAllowedOrigins) {
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public HttpServerSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        }
        if (maxBodyBytes < 0 || maxInitialLineBytes < 64 || maxHeaderBytes < 256) {
            throw new IllegalArgumentException("HTTP limits too small");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive");
        }
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
    }

    public static HttpServerSettings defaults(int port) {
        return new HttpServerSettings("0.0.0.0", port, DEFAULT_MAX_BODY_BYTES, 4096, 16 * 1024,
                Duration.ofSeconds(60), List.of());
    }

    public HttpServerSettings withHost(String newHost) {
        return new HttpServerSettings(newHost, port, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, idleTimeout,
                corsAllowedOrigins);
    }

    public HttpServerSettings withMaxBodyBytes(int bytes) {
        return new HttpServerSettings(host, port, bytes, maxInitialLineBytes, maxHeaderBytes, idleTimeout,
                corsAllowedOrigins);
    }

    public HttpServerSettings withIdleTimeout(Duration timeout) {
        return new HttpServerSettings(host, port, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, timeout,
                corsAllowedOrigins);
    }

    public HttpServerSettings withCorsAllowedOrigins(List<String> origins) {
        return new HttpServerSettings(host, port, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, idleTimeout,
                origins);
    }
}
