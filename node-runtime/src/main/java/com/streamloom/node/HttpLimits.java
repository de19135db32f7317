package com.streamloom.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.streamloom.node.http.HttpServerSettings;
import com.streamloom.spec.SpecException;

import java.time.Duration;
import java.util.function.Function;

import static com.streamloom.node.LimitValues.number;
import static com.streamloom.node.LimitValues.set;
import static com.streamloom.node.LimitValues.toInt;

/**
 * A node's HTTP server limits, the {@code http} object of its config file, each also set by an environment variable
 * (which wins); a limit not set keeps its {@link HttpServerSettings#defaults(int) default}.
 *
 * @param maxConnections    [http.max-connections] {@code STREAMLOOM_HTTP_MAX_CONNECTIONS}
 * @param headerTimeoutMs   [http.header-timeout] {@code STREAMLOOM_HTTP_HEADER_TIMEOUT_MS}
 * @param idleTimeoutMs     [http.idle-timeout] {@code STREAMLOOM_HTTP_IDLE_TIMEOUT_MS}
 * @param maxQueuedBytes    [http.max-queued-bytes] {@code STREAMLOOM_HTTP_MAX_QUEUED_BYTES}
 * @param metricsIntervalMs [http.metrics-interval] {@code STREAMLOOM_HTTP_METRICS_INTERVAL_MS}
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record HttpLimits(Long maxConnections, Long headerTimeoutMs, Long idleTimeoutMs, Long maxQueuedBytes,
                         Long metricsIntervalMs) {

    /** {@code file} (null when the file has no {@code http} object) with the environment's values over it. */
    static HttpLimits withEnvironment(HttpLimits file, Function<String, String> env) {
        HttpLimits f = file != null ? file : new HttpLimits(null, null, null, null, null);
        return new HttpLimits(
                number(env, "STREAMLOOM_HTTP_MAX_CONNECTIONS", f.maxConnections),
                number(env, "STREAMLOOM_HTTP_HEADER_TIMEOUT_MS", f.headerTimeoutMs),
                number(env, "STREAMLOOM_HTTP_IDLE_TIMEOUT_MS", f.idleTimeoutMs),
                number(env, "STREAMLOOM_HTTP_MAX_QUEUED_BYTES", f.maxQueuedBytes),
                number(env, "STREAMLOOM_HTTP_METRICS_INTERVAL_MS", f.metricsIntervalMs));
    }

    /**
     * {@code base} (the node's address and port) with these limits over it.
     *
     * @throws SpecException naming the field whose value is out of range
     */
    public HttpServerSettings applyTo(HttpServerSettings base) {
        HttpServerSettings s = set(base, "http.maxConnections", maxConnections,
                (h, v) -> h.withMaxConnections(toInt(v)));
        s = set(s, "http.headerTimeoutMs", headerTimeoutMs, (h, v) -> h.withHeaderTimeout(Duration.ofMillis(v)));
        s = set(s, "http.idleTimeoutMs", idleTimeoutMs, (h, v) -> h.withIdleTimeout(Duration.ofMillis(v)));
        s = set(s, "http.maxQueuedBytes", maxQueuedBytes, HttpServerSettings::withMaxQueuedBytes);
        return set(s, "http.metricsIntervalMs", metricsIntervalMs,
                (h, v) -> h.withMetricsInterval(Duration.ofMillis(v)));
    }
}
