package com.streamloom.control.placement;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The next node in turn that has room; the turn is kept across calls. Nodes are visited in the order given. */
public final class RoundRobinStrategy implements PlacementStrategy {
    private final AtomicLong turn = new AtomicLong();

    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public Optional<NodeSlot> choose(PlacementRequest request, List<NodeSlot> nodes) {
        int n = nodes.size();
        if (n == 0) {
            return Optional.empty();
        }
        long start = turn.getAndIncrement();
        for (int i = 0; i < n; i++) {
            NodeSlot s = nodes.get((int) Math.floorMod(start + i, (long) n));
            if (s.fits(request)) {
                turn.set(start + i + 1);
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
