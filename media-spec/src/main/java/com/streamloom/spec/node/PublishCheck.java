package com.streamloom.spec.node;

/**
 * An edge asks {@code POST /api/v1/nodes/{nodeId}/publish-check} whether an RTMP publish with this key may go on.
 * The answer names the stream (the key itself never appears in a URL or a log).
 */
public final class PublishCheck {
    private PublishCheck() {
    }

    /**
     * Request body.
     *
     * @param clientAddress the publisher's IP address as the edge sees it (optional: edges before this field did not
     *                      send it)
     * @param protocol      how the publisher connected, e.g. {@code rtmp} (optional, as {@code clientAddress})
     */
    public record Request(String app, String streamKey, String clientAddress, String protocol) {
        /** A request without the publisher's address and protocol, as older edges send it. */
        public Request(String app, String streamKey) {
            this(app, streamKey, null, null);
        }
    }

    /** Response: allowed, and if so which stream (id and name) and its current spec. */
    public record Response(boolean allowed, String streamId, com.streamloom.spec.StreamSpec spec, String reason) {
    }
}
