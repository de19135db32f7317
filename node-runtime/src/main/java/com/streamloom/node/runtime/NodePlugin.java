package com.streamloom.node.runtime;

import com.streamloom.spec.PlaybackToken;
import com.streamloom.spec.node.NodeRole;

/**
 * What a kind of media node supplies to the runtime: its role, what its playback tokens sign, and its entries.
 * Everything else (settings, HTTP, RTMP listener, agent, reconciler, health, metrics, status) is the runtime's, so
 * a new kind of node is a new plug-in, not a new copy.
 */
public interface NodePlugin<S> {

    NodeRole role();

    /** What a playback token for this node's HLS names: a stream or a composition. */
    PlaybackToken.Kind playbackKind();

    /** Builds this kind's entries on the node's shared parts; called once, before any listener opens. */
    NodeEntries<S> entries(NodeContext context);
}
