package com.streamloom.control.placement;

/**
 * One candidate node during a placement run: its capacity and the load already on it, in cost units (pixels per
 * second x stage cost). {@link #take(double)} books a decision at once, so the next request of the same burst sees
 * it before the node reports any load.
 */
public final class NodeSlot {
    private final String nodeId;
    private final double capacity;
    private double used;

    public NodeSlot(String nodeId, double capacity, double used) {
        this.nodeId = nodeId;
        this.capacity = capacity;
        this.used = used;
    }

    public String nodeId() {
        return nodeId;
    }

    public double capacity() {
        return capacity;
    }

    public double used() {
        return used;
    }

    public double free() {
        return capacity - used;
    }

    public boolean fits(double cost) {
        return used + cost <= capacity;
    }

    /** Share of capacity in use if {@code cost} were added. */
    public double loadWith(double cost) {
        return (used + cost) / capacity;
    }

    void take(double cost) {
        used += cost;
    }

    @Override
    public String toString() {
        return nodeId + "[" + used + "/" + capacity + "]";
    }
}
