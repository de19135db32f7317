package com.streamloom.control.placement;

import java.util.List;
import java.util.Optional;

/**
 * Chooses a node for one stream or composition among the healthy nodes of the right role. An implementation never
 * returns a node that lacks room ({@link NodeSlot#fits(PlacementRequest)}: capacity and HLS memory); empty means no
 * node has room, and the caller keeps the request pending.
 */
public interface PlacementStrategy {

    String name();

    Optional<NodeSlot> choose(PlacementRequest request, List<NodeSlot> nodes);

    /**
     * Places the requests in order on {@code nodes}, booking each decision in its slot; the result has one entry per
     * request, empty where nothing had room.
     */
    default List<Optional<NodeSlot>> placeAll(List<PlacementRequest> requests, List<NodeSlot> nodes) {
        var out = new java.util.ArrayList<Optional<NodeSlot>>(requests.size());
        for (PlacementRequest r : requests) {
            Optional<NodeSlot> chosen = choose(r, nodes);
            chosen.ifPresent(s -> s.take(r));
            out.add(chosen);
        }
        return out;
    }

    static PlacementStrategy named(String name, int virtualNodes) {
        return switch (name) {
            case "least-loaded" -> new LeastLoadedStrategy();
            case "consistent-hash" -> new ConsistentHashStrategy(virtualNodes);
            case "round-robin" -> new RoundRobinStrategy();
            default -> throw new IllegalArgumentException(
                    "streamloom.placement.strategy must be least-loaded, consistent-hash or round-robin, not " + name);
        };
    }
}
