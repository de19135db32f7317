package com.streamloom.control.cluster;

import com.streamloom.control.ControlConfig;
import com.streamloom.control.placement.PlacementService;
import com.streamloom.spec.node.NodeRole;
import com.streamloom.spec.node.PipelineStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One live publisher per stream in the cluster: a publish of a stream's key at an edge is granted only while no other
 * live edge has that stream's publisher, which is the case when that edge reports the stream {@code live} or
 * {@code starting}, or was granted it within {@code streamloom.nodes.publish-grant-hold} (its heartbeat has not told
 * yet). Decisions are taken one at a time, and the claim that follows is a compare-and-set on the placement row, so
 * of two edges asking at once exactly one is granted.
 */
@ApplicationScoped
public class PublishGrants {
    /** Pipeline states in which an edge has the stream's publisher. */
    private static final Set<String> PUBLISHING = Set.of("live", "starting");

    private record Grant(String nodeId, long at) {
    }

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

    @Inject
    NodeRegistry nodes;
    @Inject
    ControlConfig config;
    @Inject
    Clock clock;
    @Inject
    PlacementService placement;
    @Inject
    AssignmentIndex index;

    /** The outcome of a publish at an edge: the stream as that edge now runs it, or why the publish is refused. */
    public record Outcome(StreamView stream, String refusal) {
    }

    /**
     * Grants the publish of {@code stream} at {@code nodeId} unless another live edge has its publisher; a granted
     * edge becomes the stream's node. One decision at a time on this replica; the claim is a compare-and-set.
     */
    public synchronized Outcome grant(StreamView asked, String nodeId) {
        // as it is now: a decision taken just before this one may have moved it
        StreamView stream = index.stream(asked.id()).orElse(asked);
        Optional<String> elsewhere = publisherElsewhere(stream, nodeId);
        if (elsewhere.isPresent()) {
            return new Outcome(null, "stream " + stream.name() + " is being published at edge " + elsewhere.get()
                    + "; one publisher at a time");
        }
        Optional<StreamView> claimed = placement.claim(stream, nodeId);
        if (claimed.isEmpty()) {
            return new Outcome(null, "stream " + stream.name() + " was just taken by another edge; try again");
        }
        grants.put(stream.id(), new Grant(nodeId, clock.millis()));
        return new Outcome(claimed.get(), null);
    }

    private Optional<String> publisherElsewhere(StreamView stream, String askingNode) {
        String current = stream.assignedNode();
        if (current == null || current.equals(askingNode)) {
            return Optional.empty();
        }
        Optional<NodeState> node = nodes.get(current).filter(n -> n.up() && n.role() == NodeRole.EDGE);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Grant g = grants.get(stream.id());
        if (g != null && g.nodeId().equals(current)
                && clock.millis() - g.at() < config.nodes().publishGrantHold().toMillis()) {
            return Optional.of(current);
        }
        for (PipelineStatus p : node.get().pipelines()) {
            if (stream.id().equals(p.id()) && PUBLISHING.contains(p.state())) {
                return Optional.of(current);
            }
        }
        return Optional.empty();
    }

    /** Forgets a deleted stream. */
    public void forget(String streamId) {
        grants.remove(streamId);
    }
}
