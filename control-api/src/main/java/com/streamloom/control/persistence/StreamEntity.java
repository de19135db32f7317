package com.streamloom.control.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A stream: its validated spec as JSON, the SHA-256 of its key (never the key), where it runs. */
@Entity
@Table(name = "streams")
public class StreamEntity {
    @Id
    public String id;
    @Column(nullable = false)
    public String name;
    @Column(name = "spec_json", nullable = false, length = 200_000)
    public String specJson;
    @Column(name = "key_hash")
    public String keyHash;
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
