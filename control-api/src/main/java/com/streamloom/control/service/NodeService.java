package com.streamloom.control.service;

import com.streamloom.control.api.ApiException;
import com.streamloom.control.cluster.AssignmentIndex;
import com.streamloom.control.cluster.ControlLoop;
import com.streamloom.control.cluster.PublishGrants;
import com.streamloom.control.cluster.StartFailures;
import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.cluster.NodeState;
import com.streamloom.control.cluster.StreamView;
import com.streamloom.control.webhook.StreamTransitions;
import com.streamloom.spec.node.Heartbeat;
import com.streamloom.spec.node.NodeRole;
import com.streamloom.spec.node.PipelineStatus;
import com.streamloom.spec.node.PublishCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The node protocol: heartbeats answered with the desired state from memory, publish-checks that
 * let an edge take a push stream, and the node list.
 */
@ApplicationScoped
public class NodeService {
    private static final Logger LOG = Logger.getLogger(NodeService.class);
    /** The RTMP application publishers use: rtmp://edge:1935/live/{key}. */
    public static final String INGEST_APP = "live";
    /** Compiled once: String.matches would compile it for every heartbeat. */
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

    @Inject
    NodeRegistry registry;
    @Inject
    AssignmentIndex index;
    @Inject
    ControlLoop loop;
    @Inject
    MeterRegistry meters;
    @Inject
    StartFailures startFailures;
    @Inject
    PublishGrants grants;
    @Inject
    StreamTransitions transitions;
    @Inject
    PublishHook hook;

    private Timer heartbeatTimer;

    @PostConstruct
    void init() {
        heartbeatTimer = Timer.builder("streamloom.heartbeat").description("time to answer a node heartbeat")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    /**
     * Records the heartbeat in memory and answers the node's desired state as JSON, from the node's cached answer
     * while its assignments did not change; never waits for the database.
     */
    public byte[] heartbeat(String nodeId, Heartbeat hb) {
        long start = System.nanoTime();
        Heartbeat valid = validate(nodeId, hb);
        List<PipelineStatus> before = registry.get(nodeId).map(NodeState::pipelines).orElse(List.of());
        if (registry.heartbeat(valid)) {
            loop.nodeJoined(nodeId);
        }
        if (valid.load() != null && valid.load().pipelines() != null) {
            startFailures.observe(nodeId, valid.load().pipelines());
            transitions.reported(nodeId, before, valid.load().pipelines());
        }
        byte[] desired = index.answerFor(registry.get(nodeId).orElseThrow()).json();
        heartbeatTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        return desired;
    }

    /**
     * May this key publish on this edge? A known key is allowed, and the asking edge becomes the stream's node
     * (the publisher reconnected elsewhere). The key is only hashed, never logged. When the publish hook is set
     * ({@link PublishHook}), it must allow the stream, client address and protocol first.
     */
    public PublishCheck.Response publishCheck(String nodeId, PublishCheck.Request request) {
        if (request == null) {
            throw ApiException.badRequest("body", "a JSON publish-check request is required");
        }
        if (request.streamKey() == null || request.streamKey().isEmpty()) {
            throw ApiException.badRequest("streamKey", "is required");
        }
        if (request.streamKey().length() > 256) {
            throw ApiException.badRequest("streamKey", "at most 256 characters");
        }
        Optional<NodeState> node = registry.get(nodeId).filter(NodeState::up);
        if (node.isEmpty() || node.get().role() != NodeRole.EDGE) {
            return new PublishCheck.Response(false, null, null, "node " + nodeId + " is not a live edge; heartbeat first");
        }
        if (request.app() != null && !INGEST_APP.equals(request.app())) {
            return new PublishCheck.Response(false, null, null, "unknown application " + request.app());
        }
        Optional<StreamView> stream = index.streamByKeyHash(StreamKeys.hash(request.streamKey()));
        if (stream.isEmpty()) {
            LOG.infof("publish on %s refused: unknown stream key", nodeId);
            return new PublishCheck.Response(false, null, null, "unknown stream key");
        }
        Optional<String> hookRefusal = hook.refusal(stream.get().name(), request.clientAddress(), request.protocol());
        if (hookRefusal.isPresent()) {
            LOG.infof("publish of %s on %s refused by the publish hook: %s", stream.get().name(), nodeId,
                    hookRefusal.get());
            return new PublishCheck.Response(false, null, null, hookRefusal.get());
        }
        PublishGrants.Outcome outcome = grants.grant(stream.get(), nodeId);
        if (outcome.stream() == null) {
            LOG.infof("publish on %s refused: %s", nodeId, outcome.refusal());
            return new PublishCheck.Response(false, null, null, outcome.refusal());
        }
        return new PublishCheck.Response(true, outcome.stream().id(), index.runnableSpec(outcome.stream()), null);
    }

    public List<NodeState> list() {
        return registry.all().stream().sorted(Comparator.comparing(NodeState::id)).toList();
    }

    public NodeState get(String nodeId) {
        return registry.get(nodeId).orElseThrow(() -> ApiException.notFound("node", nodeId));
    }

    /** Refuses a node id that is not 1-128 letters, digits, '.', '_', ':' or '-' (starting with a letter or digit). */
    public static String checkNodeId(String nodeId) {
        if (nodeId == null || nodeId.length() > 128 || !NODE_ID.matcher(nodeId).matches()) {
            throw ApiException.badRequest("nodeId", "must be 1-128 letters, digits, '.', '_', ':' or '-'");
        }
        return nodeId;
    }

    /** More than any machine: 1e15 cost units per second is a million 1080p60 streams. */
    static final double MAX_CAPACITY = 1e15;
    /** The process's share of the machine; a little over 1 is measurement jitter, more is nonsense. */
    static final double MAX_CPU_SHARE = 1.05;

    private static Heartbeat validate(String nodeId, Heartbeat hb) {
        checkNodeId(nodeId);
        if (hb == null) {
            throw ApiException.badRequest("body", "a JSON heartbeat is required");
        }
        if (hb.nodeId() != null && !hb.nodeId().equals(nodeId)) {
            throw ApiException.badRequest("nodeId", "differs from the node id in the path");
        }
        if (hb.role() == null) {
            throw ApiException.badRequest("role", "must be EDGE or COMPOSITOR");
        }
        checkUrl("rtmpUrl", hb.rtmpUrl(), "rtmp://", "rtmps://");
        checkUrl("httpUrl", hb.httpUrl(), "http://", "https://");
        // A heartbeat moves streams: NaN, negative or absurd numbers are refused before anything is recorded.
        if (!(hb.capacity() > 0 && hb.capacity() <= MAX_CAPACITY)) {
            throw ApiException.badRequest("capacity", "must be a positive number (cost units per second) up to "
                    + MAX_CAPACITY);
        }
        if (hb.load() != null) {
            if (!(hb.load().cpu() >= 0 && hb.load().cpu() <= MAX_CPU_SHARE)) {
                throw ApiException.badRequest("load.cpu", "must be the share of the machine in use, 0 to 1");
            }
            if (hb.load().memoryBytes() < 0) {
                throw ApiException.badRequest("load.memoryBytes", "must be 0 or more");
            }
            if (hb.load().hlsMemoryBytes() < 0 || hb.load().hlsMemoryBudgetBytes() < 0) {
                throw ApiException.badRequest("load.hlsMemoryBytes", "HLS memory and its budget must be 0 or more");
            }
            List<PipelineStatus> pipelines = hb.load().pipelines();
            if (pipelines != null && pipelines.size() > 10_000) {
                throw ApiException.badRequest("load.pipelines", "at most 10000 pipelines");
            }
            for (int i = 0; pipelines != null && i < pipelines.size(); i++) {
                PipelineStatus s = pipelines.get(i);
                if (s == null || !(s.fps() >= 0 && s.fps() <= 1000) || !(s.latencyP99Ms() >= 0)
                        || Double.isInfinite(s.latencyP99Ms()) || s.drops() < 0) {
                    throw ApiException.badRequest("load.pipelines[" + i + "]",
                            "fps (0 to 1000), latencyP99Ms and drops must be finite numbers, 0 or more");
                }
            }
        }
        return new Heartbeat(nodeId, hb.role(), hb.rtmpUrl(), hb.httpUrl(), hb.capacity(), hb.load());
    }

    private static void checkUrl(String field, String url, String... schemes) {
        if (url == null || url.length() > 2048) {
            throw ApiException.badRequest(field, "is required, at most 2048 characters");
        }
        for (String s : schemes) {
            if (url.startsWith(s) && url.length() > s.length()) {
                return;
            }
        }
        throw ApiException.badRequest(field, "must start with " + String.join(" or ", schemes));
    }
}
