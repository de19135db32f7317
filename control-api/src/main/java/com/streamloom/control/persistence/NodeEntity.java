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
    public boolean up;
    @Column(name = "last_seen")
    public long lastSeen;
    @Column(name = "registered_at")
    public long registeredAt;
}
