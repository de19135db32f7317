package com.streamloom.control.cluster;

import com.streamloom.spec.node.DesiredState;

/**
 * A node's desired state together with its JSON, as sent in the heartbeat answer, and the change counters of
 * {@link AssignmentIndex} it was built at: while those have not moved, every heartbeat of the node is answered with
 * these bytes, without building or serialising anything.
 *
 * @param sharedChanges changes that can touch any node's answer (compositions, node addresses, reloads)
 * @param nodeChanges   changes of the streams on this node
 */
public record DesiredAnswer(long sharedChanges, long nodeChanges, DesiredState state, byte[] json) {
}
