package com.streamloom.control.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.SecondaryTable;
import jakarta.persistence.Table;

/** A stream: its validated spec as JSON, the SHA-256 of its key (never the key), where it runs. */
@Entity
@Table(name = "streams")
@SecondaryTable(name = PlacedEntity.PLACEMENTS)
public class StreamEntity extends PlacedEntity {
    @Column(name = "key_hash")
    public String keyHash;
}
