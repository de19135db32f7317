package com.streamloom.spec.node;

/**
 * An edge asks {@code POST /api/v1/nodes/{nodeId}/publish-check} whether an RTMP publish with this key may go on.
 * The answer names the stream (the key itself never appears in a URL or a log).
 */
public final class PublishCheck {
    private PublishCheck() {
    }

    /** Request body. */
    public record Request(String app, String streamKey) {
    }

    /** Response: allowed, and if so which stream (id and name) and its current spec. */
    public record Response(boolean allowed, String streamId, com.streamloom.spec.StreamSpec spec, String reason) {
    }
}
