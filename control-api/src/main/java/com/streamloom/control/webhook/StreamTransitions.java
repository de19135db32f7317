package com.streamloom.control.webhook;

import com.streamloom.control.cluster.AssignmentIndex;
import com.streamloom.control.cluster.NodeState;
import com.streamloom.control.cluster.StreamView;
import com.streamloom.spec.node.PipelineStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what nodes report into webhook events: a stream whose pipeline became {@code live} on a node is published; one
 * that was live there and is not any more (waiting for its publisher, failed, gone) is unpublished; a node declared
 * down and a stream marked failed are events of their own. Event keys use the node's {@code since} stamps, so two
 * replicas that see the same change note the same event.
 */
@ApplicationScoped
public class StreamTransitions {
    private static final String LIVE = "live";

    @Inject
    WebhookEvents events;
    @Inject
    AssignmentIndex index;

    /** Compares a node's previous report with its new one. */
    public void reported(String nodeId, List<PipelineStatus> before, List<PipelineStatus> after) {
        if (after == null) {
            return;
        }
        Map<String, PipelineStatus> old = new HashMap<>();
        for (PipelineStatus p : before) {
            if (isStream(p)) {
                old.put(p.id(), p);
            }
        }
        for (PipelineStatus p : after) {
            if (!isStream(p)) {
                continue;
            }
            PipelineStatus was = old.remove(p.id());
            boolean wasLive = was != null && LIVE.equals(was.state());
            boolean isLive = LIVE.equals(p.state());
            if (isLive && !wasLive) {
                note(WebhookEvents.STREAM_PUBLISHED, p.id(), nodeId, p.since(), p.state());
            } else if (wasLive && !isLive) {
                note(WebhookEvents.STREAM_UNPUBLISHED, p.id(), nodeId, p.since(), p.state());
            }
        }
        for (PipelineStatus gone : old.values()) {
            if (LIVE.equals(gone.state())) {
                note(WebhookEvents.STREAM_UNPUBLISHED, gone.id(), nodeId, gone.since() + "-gone", "stopped");
            }
        }
    }

    /** A stream was marked failed where it is. */
    public void failed(String streamId, String nodeId, String reason) {
        Map<String, Object> data = streamData(streamId, nodeId);
        data.put("reason", reason);
        long version = index.stream(streamId).map(StreamView::version).orElse(0L);
        events.note(WebhookEvents.STREAM_FAILED, streamId + ":" + version, data);
    }

    /** A node was declared down (noted by the leader only: every replica detects it, with its own last-seen time). */
    public void nodeDown(NodeState node) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("nodeId", node.id());
        data.put("role", node.role() == null ? null : node.role().name());
        data.put("lastSeen", java.time.Instant.ofEpochMilli(node.lastSeen()).toString());
        events.note(WebhookEvents.NODE_DOWN, node.id() + ":" + node.lastSeen(), data);
    }

    private void note(String event, String streamId, String nodeId, String since, String state) {
        Map<String, Object> data = streamData(streamId, nodeId);
        data.put("state", state);
        // without a since stamp (an old node) the event cannot be told apart from a repeat by another replica
        String when = since != null ? since : Long.toString(System.nanoTime());
        events.note(event, streamId + ":" + nodeId + ":" + when, data);
    }

    private Map<String, Object> streamData(String streamId, String nodeId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("streamId", streamId);
        data.put("name", index.stream(streamId).map(StreamView::name).orElse(null));
        data.put("nodeId", nodeId);
        return data;
    }

    private static boolean isStream(PipelineStatus p) {
        return p != null && p.id() != null && "stream".equals(p.kind());
    }
}
