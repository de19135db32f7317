package com.streamloom.control.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A node as last written by {@code NodeRegistry}'s flush; the live state is kept in memory. */
@Entity
@Table(name = "nodes")
public class NodeEntity {
    @Id
    public String id;
    @Column(nullable = false)
    public String role;
    @Column(name = "rtmp_url", nullable = false)
    public String rtmpUrl;
    @Column(name = "http_url", nullable = false)
    public String httpUrl;
    public double capacity;
    public double cpu;
    @Column(name = "memory_bytes")
    public long memoryBytes;
    /** What the node's HLS windows hold, as last reported; 0: not reported. */
    @Column(name = "hls_memory_bytes")
    public long hlsMemoryBytes;
    /** The node's HLS memory budget ({@code media.hlsMemoryBytes}), as last reported; 0: not reported. */
    @Column(name = "hls_memory_budget_bytes")
    public long hlsMemoryBudgetBytes;
    public boolean up;
    @Column(name = "last_seen")
    public long lastSeen;
    @Column(name = "registered_at")
    public long registeredAt;
}
