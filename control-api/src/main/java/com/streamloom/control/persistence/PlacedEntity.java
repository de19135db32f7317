package com.streamloom.control.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

/**
 * What streams and compositions store alike: a validated spec as JSON, placed on a node (or pending, with the
 * reason). Each has its own table; {@link PlacementWrites} updates the placement columns of both the same way.
 */
@MappedSuperclass
public abstract class PlacedEntity {
    @Id
    public String id;
    @Column(nullable = false)
    public String name;
    @Column(name = "spec_json", nullable = false, length = 200_000)
    public String specJson;
    @Column(name = "assigned_node")
    public String assignedNode;
    @Column(nullable = false)
    public String state;
    @Column(name = "pending_reason")
    public String pendingReason;
    /** Bumped by every change, so concurrent writers conflict (409) instead of overwriting each other. */
    @Version
    public long version;
    @Column(name = "created_at")
    public long createdAt;
}
