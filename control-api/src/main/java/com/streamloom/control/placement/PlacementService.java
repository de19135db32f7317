package com.streamloom.control.placement;

import com.streamloom.control.ControlConfig;
import com.streamloom.control.cluster.AssignmentIndex;
import com.streamloom.control.cluster.Leadership;
import com.streamloom.control.cluster.CompositionView;
import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.cluster.NodeState;
import com.streamloom.control.cluster.StreamView;
import com.streamloom.control.persistence.PlacementGuard;
import com.streamloom.control.persistence.PlacementRepository;
import com.streamloom.spec.node.NodeRole;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Places streams on edges and compositions on compositors with the configured {@link PlacementStrategy}, re-places
 * the work of nodes that died, and lets an edge claim a push stream. Placement decisions are
 * made under one lock, so two decisions never book the same free capacity; only the leader replica places.
 */
@ApplicationScoped
public class PlacementService {
    private static final Logger LOG = Logger.getLogger(PlacementService.class);

    @Inject
    ControlConfig config;
    @Inject
    AssignmentIndex index;
    @Inject
    CostModel costs;
    @Inject
    NodeRegistry nodes;
    @Inject
    PlacementRepository placements;
    @Inject
    Leadership leadership;

    private PlacementStrategy strategy;

    @PostConstruct
    void init() {
        strategy = PlacementStrategy.named(config.placement().strategy(), config.placement().virtualNodes());
        LOG.infof("placement strategy: %s", strategy.name());
    }

    public String strategyName() {
        return strategy.name();
    }

    /** Where a new stream or composition goes: a node, or none and why. */
    public record Decision(String nodeId, String reason) {
    }

    /** Runs {@code work} (a decision and the write that records it) while no other placement decides. */
    public synchronized <T> T exclusively(Supplier<T> work) {
        return work.get();
    }

    /** Decides for one new item; call inside {@link #exclusively}, and record the decision before leaving it. */
    public synchronized Decision decide(NodeRole role, PlacementRequest request) {
        List<NodeSlot> slots = slots(role, index.assignedCostByNode(), index.assignedHlsBytesByNode());
        Optional<NodeSlot> chosen = strategy.choose(request, slots);
        return chosen.map(s -> new Decision(s.nodeId(), null))
                .orElseGet(() -> new Decision(null, noRoomReason(role, slots, request)));
    }

    /** What a placement run did. */
    public record Result(int placed, int stillPending) {
    }

    /** Places every pending stream and composition that fits somewhere now; the rest keep a reason. */
    public synchronized Result placePending() {
        List<StreamView> pendingStreams = index.streams().stream()
                .filter(v -> StreamView.PENDING.equals(v.state()))
                .sorted(Comparator.comparingLong(StreamView::createdAt).thenComparing(StreamView::id))
                .toList();
        List<CompositionView> pendingCompositions = index.compositions().stream()
                .filter(v -> StreamView.PENDING.equals(v.state()))
                .sorted(Comparator.comparingLong(CompositionView::createdAt).thenComparing(CompositionView::id))
                .toList();
        if (pendingStreams.isEmpty() && pendingCompositions.isEmpty()) {
            return new Result(0, 0);
        }
        long start = System.nanoTime();
        Map<String, Double> assigned = index.assignedCostByNode();
        Map<String, Long> assignedHls = index.assignedHlsBytesByNode();

        List<NodeSlot> edges = slots(NodeRole.EDGE, assigned, assignedHls);
        List<PlacementRequest> streamRequests = pendingStreams.stream()
                .map(v -> new PlacementRequest(v.name(), v.cost(), costs.streamHlsBytes(v.spec()))).toList();
        List<Optional<NodeSlot>> streamChoices = strategy.placeAll(streamRequests, edges);
        Map<String, List<StreamView>> streamsByNode = new LinkedHashMap<>();
        Map<String, List<StreamView>> streamsByReason = new LinkedHashMap<>();
        for (int i = 0; i < pendingStreams.size(); i++) {
            StreamView v = pendingStreams.get(i);
            Optional<NodeSlot> c = streamChoices.get(i);
            if (c.isPresent()) {
                streamsByNode.computeIfAbsent(c.get().nodeId(), k -> new ArrayList<>()).add(v);
            } else {
                String reason = noRoomReason(NodeRole.EDGE, edges, streamRequests.get(i));
                if (!reason.equals(v.pendingReason())) {
                    streamsByReason.computeIfAbsent(reason, k -> new ArrayList<>()).add(v);
                }
            }
        }

        List<NodeSlot> compositors = slots(NodeRole.COMPOSITOR, assigned, assignedHls);
        List<PlacementRequest> compositionRequests = pendingCompositions.stream()
                .map(v -> new PlacementRequest(v.name(), v.cost(), costs.compositionHlsBytes(v.spec()))).toList();
        List<Optional<NodeSlot>> compositionChoices = strategy.placeAll(compositionRequests, compositors);
        Map<String, List<CompositionView>> compositionsByNode = new LinkedHashMap<>();
        Map<String, List<CompositionView>> compositionsByReason = new LinkedHashMap<>();
        for (int i = 0; i < pendingCompositions.size(); i++) {
            CompositionView v = pendingCompositions.get(i);
            Optional<NodeSlot> c = compositionChoices.get(i);
            if (c.isPresent()) {
                compositionsByNode.computeIfAbsent(c.get().nodeId(), k -> new ArrayList<>()).add(v);
            } else {
                String reason = noRoomReason(NodeRole.COMPOSITOR, compositors, compositionRequests.get(i));
                if (!reason.equals(v.pendingReason())) {
                    compositionsByReason.computeIfAbsent(reason, k -> new ArrayList<>()).add(v);
                }
            }
        }

        long decided = System.nanoTime();
        PlacementGuard fence = leadership.guard();
        QuarkusTransaction.requiringNew().run(() -> {
            placements.assign(nodeById(streamsByNode, StreamView::id), fence);
            streamsByReason.forEach((reason, list) -> placements.markUnplaced(ids(list, StreamView::id), StreamView.PENDING, reason, fence));
            placements.assign(nodeById(compositionsByNode, CompositionView::id), fence);
            compositionsByReason.forEach((reason, list) -> placements.markUnplaced(ids(list, CompositionView::id), StreamView.PENDING, reason, fence));
        });
        long written = System.nanoTime();
        streamsByNode.forEach((node, list) -> list.forEach(v -> index.put(withPlacement(v, node, StreamView.ASSIGNED, null))));
        streamsByReason.forEach((reason, list) -> list.forEach(v -> index.put(withPlacement(v, null, StreamView.PENDING, reason))));
        compositionsByNode.forEach((node, list) -> list.forEach(v -> index.put(withPlacement(v, node, StreamView.ASSIGNED, null))));
        compositionsByReason.forEach((reason, list) -> list.forEach(v -> index.put(withPlacement(v, null, StreamView.PENDING, reason))));

        int placed = streamsByNode.values().stream().mapToInt(List::size).sum()
                + compositionsByNode.values().stream().mapToInt(List::size).sum();
        int pending = pendingStreams.size() + pendingCompositions.size() - placed;
        if (placed > 0) {
            LOG.infof("placed %d (%d still pending) with %s: decided in %d ms, written in %d ms, indexed in %d ms",
                    placed, pending, strategy.name(), (decided - start) / 1_000_000, (written - decided) / 1_000_000,
                    (System.nanoTime() - written) / 1_000_000);
        }
        return new Result(placed, pending);
    }

    /**
     * Takes the work off nodes that are down: pull streams and compositions become pending and are
     * placed again by {@link #placePending()}; push streams go offline until an edge receives their publisher again.
     * Returns how many items were moved off.
     */
    public synchronized int evacuateDownNodes() {
        int moved = 0;
        for (NodeState n : nodes.all()) {
            if (n.up()) {
                continue;
            }
            // a stream that failed too often stays put: its node retries it when it is back
            List<StreamView> streams = index.streamsOn(n.id()).stream()
                    .filter(v -> !StreamView.FAILED.equals(v.state())).toList();
            List<CompositionView> compositions = index.compositionsOn(n.id());
            if (streams.isEmpty() && compositions.isEmpty()) {
                continue;
            }
            List<StreamView> pull = streams.stream().filter(v -> !v.isPush()).toList();
            List<StreamView> push = streams.stream().filter(StreamView::isPush).toList();
            String pullReason = "node " + n.id() + " went down; placing on another node";
            String pushReason = "edge " + n.id() + " went down; waiting for the publisher to reconnect";
            String compositionReason = "compositor " + n.id() + " went down; placing on another node";
            PlacementGuard fence = leadership.guard();
            QuarkusTransaction.requiringNew().run(() -> {
                placements.markUnplaced(ids(pull, StreamView::id), StreamView.PENDING, pullReason, fence);
                placements.markUnplaced(ids(push, StreamView::id), StreamView.OFFLINE, pushReason, fence);
                placements.markUnplaced(ids(compositions, CompositionView::id), StreamView.PENDING, compositionReason, fence);
            });
            pull.forEach(v -> index.put(withPlacement(v, null, StreamView.PENDING, pullReason)));
            push.forEach(v -> index.put(withPlacement(v, null, StreamView.OFFLINE, pushReason)));
            compositions.forEach(v -> index.put(withPlacement(v, null, StreamView.PENDING, compositionReason)));
            LOG.warnf("node %s is down: %d pull streams and %d compositions to re-place, %d push streams offline",
                    n.id(), pull.size(), compositions.size(), push.size());
            moved += streams.size() + compositions.size();
        }
        return moved;
    }

    /**
     * An edge received the publish of a known key: that edge now runs the stream, if the placement row is still what
     * this replica saw (empty when another edge took it meanwhile).
     */
    public synchronized Optional<StreamView> claim(StreamView stream, String nodeId) {
        if (nodeId.equals(stream.assignedNode())) {
            return Optional.of(stream);
        }
        boolean moved = QuarkusTransaction.requiringNew().call(() -> placements.transition(stream.id(),
                stream.assignedNode(), PlacementRepository.ANY_STATE, nodeId, StreamView.ASSIGNED, null,
                PlacementGuard.COMPARE_AND_SET_ONLY));
        if (!moved) {
            return Optional.empty();
        }
        StreamView claimed = withPlacement(stream, nodeId, StreamView.ASSIGNED, null);
        index.put(claimed);
        LOG.infof("stream %s (%s) claimed by edge %s", stream.id(), stream.name(), nodeId);
        return Optional.of(claimed);
    }

    /**
     * Marks a stream that failed to start too often failed where it is (its node keeps it and retries it with
     * back-off; nothing moves it), if it is still assigned to that node. Returns whether it was marked.
     */
    public synchronized boolean markFailed(String streamId, String nodeId, String reason) {
        StreamView v = index.stream(streamId).orElse(null);
        if (v == null || !nodeId.equals(v.assignedNode()) || !StreamView.ASSIGNED.equals(v.state())) {
            return false;
        }
        boolean marked = QuarkusTransaction.requiringNew().call(() -> placements.transition(streamId, nodeId,
                StreamView.ASSIGNED, nodeId, StreamView.FAILED, reason, PlacementGuard.COMPARE_AND_SET_ONLY));
        if (marked) {
            index.put(withPlacement(v, nodeId, StreamView.FAILED, reason));
            LOG.warnf("stream %s (%s) is failed and stays on %s: %s", v.id(), v.name(), nodeId, reason);
        }
        return marked;
    }

    /**
     * Clears a stream's failed mark (its spec changed or a person restarted it): it is assigned to its node again, or
     * pending when it has none, and may be moved like any other. Returns the stream as it is now.
     */
    public synchronized StreamView clearFailed(StreamView v) {
        if (!StreamView.FAILED.equals(v.state())) {
            return v;
        }
        String state = v.assignedNode() == null ? StreamView.PENDING : StreamView.ASSIGNED;
        String reason = v.assignedNode() == null ? "restarted; waiting for a node" : null;
        boolean cleared = QuarkusTransaction.requiringNew().call(() -> placements.transition(v.id(), v.assignedNode(),
                StreamView.FAILED, v.assignedNode(), state, reason, PlacementGuard.COMPARE_AND_SET_ONLY));
        if (!cleared) {
            return index.stream(v.id()).orElse(v);
        }
        StreamView now = withPlacement(v, v.assignedNode(), state, reason);
        index.put(now);
        LOG.infof("stream %s (%s): failed mark cleared, %s", v.id(), v.name(), state);
        return now;
    }

    /**
     * Moves pull streams off edges loaded above the threshold onto a node that just joined, until they are below it
     * or the new node is full (optional: {@code streamloom.placement.rebalance-on-join}).
     */
    public synchronized int rebalanceOnto(String joinedNodeId) {
        Optional<NodeState> joined = nodes.get(joinedNodeId);
        if (joined.isEmpty() || joined.get().role() != NodeRole.EDGE) {
            return 0;
        }
        double threshold = config.placement().rebalanceThreshold();
        List<NodeSlot> slots = slots(NodeRole.EDGE, index.assignedCostByNode(), index.assignedHlsBytesByNode());
        NodeSlot target = slots.stream().filter(s -> s.nodeId().equals(joinedNodeId)).findFirst().orElse(null);
        if (target == null) {
            return 0;
        }
        List<StreamView> moves = new ArrayList<>();
        for (NodeSlot source : slots) {
            if (source == target || source.used() / source.capacity() <= threshold) {
                continue;
            }
            List<StreamView> candidates = index.streamsOn(source.nodeId()).stream()
                    .filter(v -> !v.isPush() && !StreamView.FAILED.equals(v.state()))
                    .sorted(Comparator.comparingDouble(StreamView::cost).reversed()).toList();
            for (StreamView v : candidates) {
                if (source.used() / source.capacity() <= threshold || !target.fits(v.cost())) {
                    continue;
                }
                source.take(-v.cost());
                target.take(v.cost());
                moves.add(v);
            }
        }
        if (moves.isEmpty()) {
            return 0;
        }
        QuarkusTransaction.requiringNew().run(() ->
                placements.assign(nodeById(Map.of(joinedNodeId, moves), StreamView::id), leadership.guard()));
        moves.forEach(v -> index.put(withPlacement(v, joinedNodeId, StreamView.ASSIGNED, null)));
        LOG.infof("rebalanced %d pull streams onto %s", moves.size(), joinedNodeId);
        return moves.size();
    }

    /**
     * The healthy nodes of a role in a stable order, each booked with max(reported load, assigned cost) and
     * max(reported HLS memory, assigned streams' HLS shares) against its reported HLS budget.
     */
    List<NodeSlot> slots(NodeRole role, Map<String, Double> assignedCost, Map<String, Long> assignedHls) {
        List<NodeState> up = nodes.up(role);
        up.sort(Comparator.comparing(NodeState::id));
        List<NodeSlot> out = new ArrayList<>(up.size());
        for (NodeState n : up) {
            // The reported CPU share covers what already runs; the assigned cost also covers what was just
            // assigned and has not started yet. Taking the larger avoids counting running work twice.
            double used = Math.max(n.cpu() * n.capacity(), assignedCost.getOrDefault(n.id(), 0.0));
            long hls = Math.max(n.hlsMemoryBytes(), assignedHls.getOrDefault(n.id(), 0L));
            out.add(new NodeSlot(n.id(), n.capacity(), used, n.hlsMemoryBudgetBytes(), hls));
        }
        return out;
    }

    static String noRoomReason(NodeRole role, List<NodeSlot> slots, PlacementRequest request) {
        if (slots.isEmpty()) {
            return "no " + role.name().toLowerCase() + " node is up";
        }
        double cost = request.cost();
        if (slots.stream().anyMatch(s -> s.fits(cost))) {
            long mostFree = slots.stream().filter(s -> s.fits(cost)).mapToLong(NodeSlot::hlsFree).max().orElse(0);
            return String.format(java.util.Locale.ROOT,
                    "no %s node has room in its HLS memory budget: needs %d MiB, the most free on a node with the"
                            + " capacity is %d MiB", role.name().toLowerCase(), request.hlsBytes() >> 20,
                    Math.max(0, mostFree) >> 20);
        }
        double mostFree = slots.stream().mapToDouble(NodeSlot::free).max().orElse(0);
        return String.format(java.util.Locale.ROOT,
                "no %s node has room: needs %.0f cost units, the most free on any node is %.0f",
                role.name().toLowerCase(), cost, Math.max(0, mostFree));
    }

    private static StreamView withPlacement(StreamView v, String node, String state, String reason) {
        return new StreamView(v.id(), v.name(), v.spec(), v.keyHash(), node, state, reason,
                PlacementVersions.next(v.version(), v.assignedNode(), v.state(), v.pendingReason(), node, state, reason),
                v.createdAt(), v.cost());
    }

    private static CompositionView withPlacement(CompositionView v, String node, String state, String reason) {
        return new CompositionView(v.id(), v.name(), v.spec(), node, state, reason,
                PlacementVersions.next(v.version(), v.assignedNode(), v.state(), v.pendingReason(), node, state, reason),
                v.createdAt(), v.cost());
    }

    private static <T> Map<String, String> nodeById(Map<String, List<T>> byNode,
                                                    java.util.function.Function<T, String> id) {
        Map<String, String> out = new LinkedHashMap<>();
        byNode.forEach((node, items) -> items.forEach(item -> out.put(id.apply(item), node)));
        return out;
    }

    private static <T> List<String> ids(List<T> items, java.util.function.Function<T, String> id) {
        return items.stream().map(id).toList();
    }
}
