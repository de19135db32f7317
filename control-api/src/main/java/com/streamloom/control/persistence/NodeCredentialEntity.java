package com.streamloom.control.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A node's credential as stored: only its SHA-256, or none while the node is revoked. */
@Entity
@Table(name = "node_credentials")
public class NodeCredentialEntity {
    @Id
    @Column(name = "node_id")
    public String nodeId;
    /** Hex SHA-256 of the credential; null while revoked. */
    @Column(name = "secret_sha256")
    public String secretSha256;
    @Column(name = "issued_at", nullable = false)
    public long issuedAt;
    /** When an admin revoked the node; null when it is not revoked. */
    @Column(name = "revoked_at")
    public Long revokedAt;
}
