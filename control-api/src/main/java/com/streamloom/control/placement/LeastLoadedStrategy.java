package com.streamloom.control.placement;

import java.util.List;
import java.util.Optional;

/**
 * The node whose share of capacity in use would be lowest after taking the request. Because every decision is booked
 * in its {@link NodeSlot} at once, a burst of streams spreads over the nodes instead of piling onto the one that
 * looked idle in its last heartbeat.
 */
public final class LeastLoadedStrategy implements PlacementStrategy {
    @Override
    public String name() {
        return "least-loaded";
    }

    @Override
    public Optional<NodeSlot> choose(PlacementRequest request, List<NodeSlot> nodes) {
        NodeSlot best = null;
        double bestLoad = Double.MAX_VALUE;
        for (NodeSlot n : nodes) {
            if (!n.fits(request)) {
                continue;
            }
            double load = n.loadWith(request.cost());
            if (load < bestLoad || (load == bestLoad && n.nodeId().compareTo(best.nodeId()) < 0)) {
                best = n;
                bestLoad = load;
            }
        }
        return Optional.ofNullable(best);
    }
}
