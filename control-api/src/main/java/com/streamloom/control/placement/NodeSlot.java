package com.streamloom.control.placement;

/**
 * One candidate node during a placement run: its capacity and the load already on it, in cost units (pixels per
 * second x stage cost), and its HLS memory budget and what is booked against it. {@link #take} books a decision at
 * once, so the next request of the same burst sees it before the node reports any load. A node that reports no HLS
 * budget (0) is judged by its capacity alone.
 */
public final class NodeSlot {
    private final String nodeId;
    private final double capacity;
    private final long hlsBudget;
    private double used;
    private long hlsUsed;

    public NodeSlot(String nodeId, double capacity, double used) {
        this(nodeId, capacity, used, 0, 0);
    }

    public NodeSlot(String nodeId, double capacity, double used, long hlsBudget, long hlsUsed) {
        this.nodeId = nodeId;
        this.capacity = capacity;
        this.used = used;
        this.hlsBudget = hlsBudget;
        this.hlsUsed = hlsUsed;
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

    /** Whether the request fits both the node's capacity and its HLS memory budget. */
    public boolean fits(PlacementRequest request) {
        return fits(request.cost()) && fitsHls(request.hlsBytes());
    }

    public boolean fitsHls(long bytes) {
        return hlsBudget <= 0 || hlsUsed + bytes <= hlsBudget;
    }

    /** HLS memory budget left, or {@link Long#MAX_VALUE} for a node that reports no budget. */
    public long hlsFree() {
        return hlsBudget <= 0 ? Long.MAX_VALUE : hlsBudget - hlsUsed;
    }

    public long hlsUsed() {
        return hlsUsed;
    }

    /** Share of capacity in use if {@code cost} were added. */
    public double loadWith(double cost) {
        return (used + cost) / capacity;
    }

    void take(double cost) {
        used += cost;
    }

    void take(PlacementRequest request) {
        used += request.cost();
        hlsUsed += request.hlsBytes();
    }

    @Override
    public String toString() {
        return nodeId + "[" + used + "/" + capacity + (hlsBudget > 0 ? ", HLS " + hlsUsed + "/" + hlsBudget : "")
                + "]";
    }
}
