package com.streamloom.control.cluster;

import com.streamloom.control.ControlConfig;
import com.streamloom.spec.node.PipelineStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Counts, per stream, the distinct start failures its nodes reported (a node reporting it {@code failed} with a new
 * {@code since}, or another node doing so) and names the streams that reached
 * {@code streamloom.placement.max-start-failures}: those are to be marked failed where they are, not moved again. The
 * heartbeat only notes them here; the control loop writes the verdicts, so a heartbeat never waits for the database.
 */
@ApplicationScoped
public class StartFailures {
    /** A stream that failed too often: where and why it last failed. */
    public record Verdict(String streamId, String nodeId, String reason) {
    }

    private record Seen(Set<String> failures, String reason) {
    }

    private final Map<String, Seen> byStream = new ConcurrentHashMap<>();
    private final Queue<Verdict> verdicts = new ConcurrentLinkedQueue<>();

    @Inject
    AssignmentIndex index;
    @Inject
    ControlConfig config;

    /** Notes the failed streams in a node's report (only those assigned to that node and not failed already). */
    public void observe(String nodeId, Iterable<PipelineStatus> pipelines) {
        int max = Math.max(1, config.placement().maxStartFailures());
        for (PipelineStatus p : pipelines) {
            if (!StreamView.FAILED.equals(p.state()) || !"stream".equals(p.kind()) || p.id() == null) {
                continue;
            }
            StreamView v = index.stream(p.id()).orElse(null);
            if (v == null || !nodeId.equals(v.assignedNode()) || !StreamView.ASSIGNED.equals(v.state())) {
                continue;
            }
            String failure = nodeId + "@" + p.since();
            Seen seen = byStream.compute(v.id(), (id, old) -> {
                Set<String> failures = old == null ? new LinkedHashSet<>() : old.failures();
                if (failures.size() < max) {
                    failures.add(failure);
                }
                return new Seen(failures, p.error());
            });
            if (seen.failures().size() >= max && seen.failures().contains(failure)) {
                verdicts.add(new Verdict(v.id(), nodeId, "failed to start " + max + " times, last on node " + nodeId
                        + ": " + (p.error() == null ? "no reason given" : p.error())));
                byStream.remove(v.id());
            }
        }
    }

    /** The verdicts reached since the last call. */
    public Verdict poll() {
        return verdicts.poll();
    }

    /** Forgets the stream's failures (its spec changed, a person restarted it, or it was deleted). */
    public void clear(String streamId) {
        byStream.remove(streamId);
    }

    /** How many distinct start failures are counted for the stream now. */
    public int count(String streamId) {
        Seen seen = byStream.get(streamId);
        return seen == null ? 0 : seen.failures().size();
    }
}
