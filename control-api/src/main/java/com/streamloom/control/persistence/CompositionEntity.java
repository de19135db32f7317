package com.streamloom.control.persistence;

import jakarta.persistence.Entity;
import jakarta.persistence.SecondaryTable;
import jakarta.persistence.Table;

/** A composition: its validated spec as JSON and the compositor it runs on. */
@Entity
@Table(name = "compositions")
@SecondaryTable(name = PlacedEntity.PLACEMENTS)
public class CompositionEntity extends PlacedEntity {
}
