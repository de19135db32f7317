package com.streamloom.control.persistence;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A composition: its validated spec as JSON and the compositor it runs on. */
@Entity
@Table(name = "compositions")
public class CompositionEntity extends PlacedEntity {
}
