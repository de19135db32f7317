package com.streamloom.control.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.node.NodeRole;
import com.streamloom.spec.node.PipelineStatus;

import java.util.List;

/** Request and response bodies of the REST API that are not node-protocol records. */
public final class Dtos {
    private Dtos() {
    }

    /**
     * A stream. {@code streamKey} is present only in the answers to create and rotate-key; {@code ingestUrl} only for
     * push streams. {@code status} is what the node running it last reported.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StreamResponse(String id, String name, String state, String pendingReason, String nodeId,
                                 long version, String ingestUrl, String streamKey, String playbackUrl,
                                 StreamSpec spec, PipelineStatus status) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CompositionResponse(String id, String name, String state, String pendingReason, String nodeId,
                                      long version, String playbackUrl, CompositionSpec spec,
                                      PipelineStatus status) {
    }

    public record NodeResponse(String id, NodeRole role, boolean up, String rtmpUrl, String httpUrl, double capacity,
                               double cpu, long memoryBytes, long lastSeen, int streams, int compositions,
                               List<PipelineStatus> pipelines, long hlsMemoryBytes, long hlsMemoryBudgetBytes) {
    }

    /**
     * The answer to a node's enrolment: its own credential for heartbeats and publish-checks, shown only here (the
     * control API keeps only its SHA-256).
     */
    public record EnrolResponse(String nodeId, String credential) {
    }

    public record CaptionRequest(String text) {
    }

    /** Request of a playback token; {@code ttlSeconds} absent takes streamloom.playback.default-token-ttl. */
    public record PlaybackTokenRequest(Long ttlSeconds) {
    }

    /**
     * A playback token for a signed output: the token, when it stops working (ISO-8601), the playback URL that
     * carries it, and the output's {@code playback} mode (a public output plays without the token too).
     */
    public record PlaybackTokenResponse(String token, String expiresAt, String playbackUrl, String playback) {
    }

    /**
     * A playback key rotation: the new key's id (never the key) and until when the previous key still verifies
     * tokens (ISO-8601; absent when there was none to keep).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyRotationResponse(String keyId, String createdAt, String previousKeyValidUntil) {
    }
}
