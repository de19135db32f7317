package com.streamloom.control.api;

import com.streamloom.control.cluster.AssignmentIndex;
import com.streamloom.control.cluster.CompositionView;
import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.cluster.NodeState;
import com.streamloom.control.cluster.StreamView;
import com.streamloom.control.service.PlaybackTokens;
import com.streamloom.control.service.PublicUrls;
import com.streamloom.spec.node.PipelineStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Turns the index's views into response bodies, with URLs and the node's last report. */
@ApplicationScoped
public class ResponseMapper {
    @Inject
    PublicUrls urls;
    @Inject
    NodeRegistry nodes;
    @Inject
    AssignmentIndex index;

    public Dtos.StreamResponse stream(StreamView v, String streamKey) {
        return new Dtos.StreamResponse(v.id(), v.name(), v.state(), v.pendingReason(), v.assignedNode(), v.version(),
                v.isPush() ? urls.ingestUrl(v.assignedNode()) : null, streamKey,
                urls.playbackUrl(v.assignedNode(), v.name()), index.shownSpec(v), reported(v.assignedNode(), v.id()));
    }

    public Dtos.CompositionResponse composition(CompositionView v) {
        return new Dtos.CompositionResponse(v.id(), v.name(), v.state(), v.pendingReason(), v.assignedNode(),
                v.version(), urls.playbackUrl(v.assignedNode(), v.name()), v.spec(), reported(v.assignedNode(), v.id()));
    }

    public Dtos.NodeResponse node(NodeState n) {
        return new Dtos.NodeResponse(n.id(), n.role(), n.up(), n.rtmpUrl(), n.httpUrl(), n.capacity(), n.cpu(),
                n.memoryBytes(), n.lastSeen(), index.streamsOn(n.id()).size(), index.compositionsOn(n.id()).size(),
                n.pipelines(), n.hlsMemoryBytes(), n.hlsMemoryBudgetBytes());
    }

    public Dtos.PlaybackTokenResponse playbackToken(PlaybackTokens.Issued issued) {
        return new Dtos.PlaybackTokenResponse(issued.token(), issued.expiresAt().toString(), issued.playbackUrl(),
                issued.playback());
    }

    private PipelineStatus reported(String nodeId, String id) {
        if (nodeId == null) {
            return null;
        }
        return nodes.get(nodeId).flatMap(n -> n.pipelines().stream().filter(p -> id.equals(p.id())).findFirst())
                .orElse(null);
    }
}
