package com.streamloom.control.placement;

/**
 * What to place: {@code key} is stable for the thing placed (its name, used by consistent hashing), {@code cost}
 * its estimated load in the nodes' capacity units, {@code hlsBytes} the HLS memory it will hold on its node
 * ({@link CostModel#streamHlsBytes}).
 */
public record PlacementRequest(String key, double cost, long hlsBytes) {
    /** A request that holds no HLS memory worth counting. */
    public PlacementRequest(String key, double cost) {
        this(key, cost, 0);
    }
}
