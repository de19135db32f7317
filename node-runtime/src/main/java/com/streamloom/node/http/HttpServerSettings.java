package com.streamloom.node.http;

import java.time.Duration;
import java.util.List;

/**
 * Limits and address of a {@link MediaHttpServer}; every limit has a safe default.
 *
 * @param host                  address to bind, e.g. 0.0.0.0
 * @param port                  TCP port (edge 8081, compositor 8082; 0 picks a free one, for tests)
 * @param maxBodyBytes          largest request body; larger gets 413 (API bodies are small JSON)
 * @param maxInitialLineBytes   longest request line (414 beyond)
 * @param maxHeaderBytes        largest header block (431 beyond)
 * @param idleTimeout           a connection with no traffic for this long is closed
 * @param corsAllowedOrigins    origins whose pages may call write routes from a browser ({@link CorsPolicy}); none
 *                              by default
 * @param maxConnections        open connections (all listeners of the server together); one beyond it is closed
 *                              as it is accepted
 * @param headerTimeout         a request head must arrive within this time: the first one (with TLS, handshake
 *                              included) from the connection's opening, later ones from their first byte; so a
 *                              client that sends headers byte by byte (slowloris) is closed
 * @param maxQueuedBytes        response bytes one connection may have waiting to be sent; a client that does not
 *                              read its answers is closed at this bound instead of being buffered for
 * @param metricsInterval       /metrics is rendered at most once per interval; scrapes within it share the text
 */
public record HttpServerSettings(String host, int port, int maxBodyBytes, int maxInitialLineBytes, int maxHeaderBytes,
                                 Duration idleTimeout, List<String> corsAllowedOrigins, int maxConnections,
                                 Duration headerTimeout, long maxQueuedBytes, Duration metricsInterval) {
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** A few of the largest segments (6 s at 8 Mbit/s is 6 MB), so a player that reads is never cut off. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_METRICS_INTERVAL = Duration.ofSeconds(1);

    public HttpServerSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        }
        if (maxBodyBytes < 0 || maxInitialLineBytes < 64 || maxHeaderBytes < 256) {
            throw new IllegalArgumentException("HTTP limits too small");
        }
        requirePositive("idle timeout", idleTimeout);
        requirePositive("header timeout", headerTimeout);
        requirePositive("metrics interval", metricsInterval);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be at least 1, not " + maxConnections);
        }
        if (maxQueuedBytes < 64 * 1024) {
            throw new IllegalArgumentException("max queued bytes must be at least 64 KiB, not " + maxQueuedBytes);
        }
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    public static HttpServerSettings defaults(int port) {
        return new HttpServerSettings("0.0.0.0", port, DEFAULT_MAX_BODY_BYTES, 4096, 16 * 1024,
                Duration.ofSeconds(60), List.of(), DEFAULT_MAX_CONNECTIONS, DEFAULT_HEADER_TIMEOUT,
                DEFAULT_MAX_QUEUED_BYTES, DEFAULT_METRICS_INTERVAL);
    }

    public HttpServerSettings withHost(String newHost) {
        return new HttpServerSettings(newHost, port, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, idleTimeout,
                corsAllowedOrigins, maxConnections, headerTimeout, maxQueuedBytes, metricsInterval);
    }

    public HttpServerSettings withMaxBodyBytes(int bytes) {
        return new HttpServerSettings(host, port, bytes, maxInitialLineBytes, maxHeaderBytes, idleTimeout,
                corsAllowedOrigins, maxConnections, headerTimeout, maxQueuedBytes, metricsInterval);
    }

    public HttpServerSettings withIdleTimeout(Duration timeout) {
        return new HttpServerSettings(host, port, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, timeout,
                corsAllowedOrigins, maxConnections, headerTimeout, maxQueuedBytes, metricsInterval);
    }

    public HttpServerSettings withCorsAllowedOrigins(List<String> origins) {
        return new HttpServerSettings(host, port, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, idleTimeout,
                origins, maxConnections, headerTimeout, maxQueuedBytes, metricsInterval);
    }

    public HttpServerSettings withMaxConnections(int connections) {
        return new HttpServerSettings(host, port, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, idleTimeout,
                corsAllowedOrigins, connections, headerTimeout, maxQueuedBytes, metricsInterval);
    }

    public HttpServerSettings withHeaderTimeout(Duration timeout) {
        return new HttpServerSettings(host, port, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, idleTimeout,
                corsAllowedOrigins, maxConnections, timeout, maxQueuedBytes, metricsInterval);
    }

    public HttpServerSettings withMaxQueuedBytes(long bytes) {
        return new HttpServerSettings(host, port, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, idleTimeout,
                corsAllowedOrigins, maxConnections, headerTimeout, bytes, metricsInterval);
    }

    public HttpServerSettings withMetricsInterval(Duration interval) {
        return new HttpServerSettings(host, port, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, idleTimeout,
                corsAllowedOrigins, maxConnections, headerTimeout, maxQueuedBytes, interval);
    }
}
