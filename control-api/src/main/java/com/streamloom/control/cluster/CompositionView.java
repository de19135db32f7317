package com.streamloom.control.cluster;

import com.streamloom.spec.CompositionSpec;

/** A composition as the index holds it; state is pending or assigned like a stream's. */
public record CompositionView(String id, String name, CompositionSpec spec, String assignedNode, String state,
                              String pendingReason, long version, long createdAt, double cost) {
}
