package com.streamloom.control.placement;

/**
 * What to place: {@code key} is stable for the thing placed (its name, used by consistent hashing), {@code cost}
 * its estimated load in the nodes' capacity units.
 */
public record PlacementRequest(String key, double cost) {
}
