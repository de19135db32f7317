package com.streamloom.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.streamloom.media.rtmp.RtmpSettings;
import com.streamloom.spec.SpecException;

import java.time.Duration;
import java.util.function.Function;

import static com.streamloom.node.LimitValues.number;
import static com.streamloom.node.LimitValues.set;
import static com.streamloom.node.LimitValues.toInt;

/**
 * A node's RTMP server limits, the {@code rtmp} object of its config file, each also set by an environment variable
 * (which wins); a limit not set keeps its {@link RtmpSettings#defaults() default}.
 *
 * @param maxConnections           [rtmp.max-connections] {@code STREAMLOOM_RTMP_MAX_CONNECTIONS}
 * @param maxConnectionsPerAddress [rtmp.max-connections-per-address]
 *                                 {@code STREAMLOOM_RTMP_MAX_CONNECTIONS_PER_ADDRESS}
 * @param publishTimeoutMs         [rtmp.publish-timeout] {@code STREAMLOOM_RTMP_PUBLISH_TIMEOUT_MS}
 * @param maxConnectionBufferBytes [rtmp.max-connection-buffer-bytes]
 *                                 {@code STREAMLOOM_RTMP_MAX_CONNECTION_BUFFER_BYTES}
 * @param maxNodeBufferBytes       [rtmp.max-node-buffer-bytes] {@code STREAMLOOM_RTMP_MAX_NODE_BUFFER_BYTES}
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record RtmpLimits(Long maxConnections, Long maxConnectionsPerAddress, Long publishTimeoutMs,
                         Long maxConnectionBufferBytes, Long maxNodeBufferBytes) {

    /** {@code file} (null when the file has no {@code rtmp} object) with the environment's values over it. */
    static RtmpLimits withEnvironment(RtmpLimits file, Function<String, String> env) {
        RtmpLimits f = file != null ? file : new RtmpLimits(null, null, null, null, null);
        return new RtmpLimits(
                number(env, "STREAMLOOM_RTMP_MAX_CONNECTIONS", f.maxConnections),
                number(env, "STREAMLOOM_RTMP_MAX_CONNECTIONS_PER_ADDRESS", f.maxConnectionsPerAddress),
                number(env, "STREAMLOOM_RTMP_PUBLISH_TIMEOUT_MS", f.publishTimeoutMs),
                number(env, "STREAMLOOM_RTMP_MAX_CONNECTION_BUFFER_BYTES", f.maxConnectionBufferBytes),
                number(env, "STREAMLOOM_RTMP_MAX_NODE_BUFFER_BYTES", f.maxNodeBufferBytes));
    }

    /**
     * The RTMP settings: the defaults with these limits over them.
     *
     * @throws SpecException naming the field whose value is out of range
     */
    public RtmpSettings settings() {
        RtmpSettings s = RtmpSettings.defaults();
        s = set(s, "rtmp.maxConnections", maxConnections, (r, v) -> r.withMaxConnections(toInt(v)));
        s = set(s, "rtmp.maxConnectionsPerAddress", maxConnectionsPerAddress,
                (r, v) -> r.withMaxConnectionsPerAddress(toInt(v)));
        s = set(s, "rtmp.publishTimeoutMs", publishTimeoutMs, (r, v) -> r.withPublishTimeout(Duration.ofMillis(v)));
        s = set(s, "rtmp.maxConnectionBufferBytes", maxConnectionBufferBytes,
                (r, v) -> r.withMaxConnectionBufferBytes(toInt(v)));
        return set(s, "rtmp.maxNodeBufferBytes", maxNodeBufferBytes, RtmpSettings::withMaxNodeBufferBytes);
    }
}
