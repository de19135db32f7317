package com.streamloom.control.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A composition: its validated spec as JSON and the compositor it runs on. */
@Entity
@Table(name = "compositions")
public class CompositionEntity {
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
    @Version
    public long version;
    @Column(name = "created_at")
    public long createdAt;
}
