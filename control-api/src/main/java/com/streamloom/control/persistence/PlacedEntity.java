package com.streamloom.control.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

/**
 * What streams and compositions store alike: a validated spec as JSON, placed on a node (or pending, with the
 * reason). Each has its own table for what users say, and its placement (node, state, reason) is a row of the narrow
 * {@value #PLACEMENTS} table with the same id, which only {@link PlacementRepository} changes after creation: the placer's
 * writes stay small and a user's spec change never writes over a placement, nor the reverse.
 */
@MappedSuperclass
public abstract class PlacedEntity {
    public static final String PLACEMENTS = "placements";

    @Id
    public String id;
    @Column(nullable = false)
    public String name;
    @Column(name = "spec_json", nullable = false, length = 200_000)
    public String specJson;
    @Column(name = "assigned_node", table = PLACEMENTS, updatable = false)
    public String assignedNode;
    @Column(table = PLACEMENTS, nullable = false, updatable = false)
    public String state;
    @Column(name = "pending_reason", table = PLACEMENTS, updatable = false)
    public String pendingReason;
    /** Bumped by every change of the spec, so concurrent writers conflict (409) instead of overwriting each other. */
    @Version
    public long version;
    /** Bumped by every placement write ({@link PlacementRepository}). */
    @Column(name = "version", table = PLACEMENTS, nullable = false, updatable = false)
    public long placementVersion;
    @Column(name = "created_at")
    public long createdAt;
}
