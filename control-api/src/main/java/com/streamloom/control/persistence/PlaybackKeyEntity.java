package com.streamloom.control.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A playback key as stored; {@code retiredAt} is set when a rotation replaced it (epoch milliseconds). */
@Entity
@Table(name = "playback_keys")
public class PlaybackKeyEntity {
    @Id
    public String id;
    @Column(nullable = false)
    public String secret;
    @Column(name = "created_at", nullable = false)
    public long createdAt;
    @Column(name = "retired_at")
    public Long retiredAt;

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "PlaybackKeyEntity[" + id + "]";
    }
}
