package com.streamloom.control.placement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sticky placement: the request's key hashes onto a ring where every node has {@code virtualNodes} points; the
 * request goes to the first node clockwise that has room. A node joining or leaving moves only the keys next to its
 * points. The ring is rebuilt only when the set of nodes changes.
 */
public final class ConsistentHashStrategy implements PlacementStrategy {
    private final int virtualNodes;
    private Ring ring = new Ring(Set.of(), new long[0], new String[0]);
    /** The node list of the last call and its index: a placement run passes the same list for every request. */
    private List<NodeSlot> lastNodes;
    private Map<String, NodeSlot> byId = Map.of();

    public ConsistentHashStrategy(int virtualNodes) {
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtualNodes must be at least 1");
        }
        this.virtualNodes = virtualNodes;
    }

    @Override
    public String name() {
        return "consistent-hash";
    }

    @Override
    public synchronized Optional<NodeSlot> choose(PlacementRequest request, List<NodeSlot> nodes) {
        if (nodes.isEmpty()) {
            return Optional.empty();
        }
        if (nodes != lastNodes) {
            Map<String, NodeSlot> index = new HashMap<>(nodes.size() * 2);
            for (NodeSlot s : nodes) {
                index.put(s.nodeId(), s);
            }
            if (!ring.members.equals(index.keySet())) {
                ring = Ring.build(index.keySet(), virtualNodes);
            }
            byId = index;
            lastNodes = nodes;
        }
        int start = Arrays.binarySearch(ring.points, hash(request.key()));
        if (start < 0) {
            start = -start - 1;
        }
        Set<String> tried = new HashSet<>();
        for (int i = 0; i < ring.points.length && tried.size() < byId.size(); i++) {
            String id = ring.owners[(start + i) % ring.points.length];
            if (tried.add(id)) {
                NodeSlot s = byId.get(id);
                if (s.fits(request)) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    static long hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Ring(Set<String> members, long[] points, String[] owners) {
        static Ring build(Set<String> ids, int virtualNodes) {
            List<Map.Entry<Long, String>> entries = new ArrayList<>(ids.size() * virtualNodes);
            for (String id : ids) {
                for (int v = 0; v < virtualNodes; v++) {
                    entries.add(Map.entry(hash(id + "#" + v), id));
                }
            }
            entries.sort(Map.Entry.<Long, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
            long[] points = new long[entries.size()];
            String[] owners = new String[entries.size()];
            for (int i = 0; i < points.length; i++) {
                points[i] = entries.get(i).getKey();
                owners[i] = entries.get(i).getValue();
            }
            return new Ring(Set.copyOf(ids), points, owners);
        }
    }
}
