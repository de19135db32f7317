package com.streamloom.node.runtime;

import com.streamloom.spec.PlaybackToken;
import com.streamloom.spec.node.NodeRole;

import java.util.function.Function;

/**
 * What a kind of media node supplies to the runtime: its role, what its playback tokens name, what its entries are,
 * and how to build them on the node's shared parts (called once, before any listener opens). Everything else
 * (settings, HTTP, RTMP listener, agent, reconciler, health, metrics, status) is the runtime's, so a new kind of
 * node is a new plug-in, not a new copy.
 */
public record NodePlugin<S>(NodeRole role, PlaybackToken.Kind playbackKind, EntryKind<S> kind,
                            Function<NodeContext, NodeEntries<S>> entries) {
}
