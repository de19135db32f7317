package com.streamloom.control.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A key only the control API replicas hold (shared through the database), made at first start. */
@Entity
@Table(name = "cluster_keys")
public class ClusterKeyEntity {
    @Id
    public String name;
    @Column(name = "key_value", nullable = false)
    public String keyValue;
    @Column(name = "created_at", nullable = false)
    public long createdAt;
}
