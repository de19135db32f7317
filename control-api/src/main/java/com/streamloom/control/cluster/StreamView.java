package com.streamloom.control.cluster;

import com.streamloom.spec.StreamSpec;

/**
 * A stream as the index holds it: the validated spec, where it runs and why not, and its estimated cost.
 *
 * @param state pending (no node with room yet) | assigned | offline (push stream whose edge died) | failed (it failed
 *              to start too often; it stays on its node, which retries it with back-off, and is never moved)
 */
public record StreamView(String id, String name, StreamSpec spec, String keyHash, String assignedNode, String state,
                         String pendingReason, long version, long createdAt, double cost) {
    public static final String PENDING = "pending";
    public static final String ASSIGNED = "assigned";
    public static final String OFFLINE = "offline";
    public static final String FAILED = "failed";

    public boolean isPush() {
        return !spec.source().isPull();
    }
}
