package com.streamloom.media.rtmp;

/**
 * The server-wide limits a connection can break; each closes that connection and counts once under its
 * {@link #label()} in {@code streamloom_rtmp_rejected_total{reason="..."}}.
 */
public enum RtmpLimit {
    /** [rtmp.max-connections]: the server already holds as many connections as it may. */
    CONNECTIONS("connections", "rtmp.max-connections"),
    /** [rtmp.max-connections-per-address]: this remote address already holds as many as it may. */
    CONNECTIONS_PER_ADDRESS("connections-per-address", "rtmp.max-connections-per-address"),
    /** [rtmp.publish-timeout]: no publish was accepted in time after connecting. */
    PUBLISH_DEADLINE("publish-deadline", "rtmp.publish-timeout"),
    /** [rtmp.max-connection-buffer-bytes]: the connection's unfinished messages grew past its budget. */
    CONNECTION_BUFFER("connection-buffer", "rtmp.max-connection-buffer-bytes"),
    /** [rtmp.max-node-buffer-bytes]: the server's budget for unfinished messages is spent. */
    NODE_BUFFER("node-buffer", "rtmp.max-node-buffer-bytes"),
    /** The peer made us write while it did not read what we had written. */
    NOT_READING("not-reading", null);

    private final String label;
    private final String setting;

    RtmpLimit(String label, String setting) {
        this.label = label;
        this.setting = setting;
    }

    /** The metric's reason label. */
    public String label() {
        return label;
    }

    /** The setting that sets this limit, or null when it has none. */
    public String setting() {
        return setting;
    }
}
