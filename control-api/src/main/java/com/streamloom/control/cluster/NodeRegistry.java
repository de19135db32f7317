package com.streamloom.control.cluster;

import com.streamloom.control.ControlConfig;
import com.streamloom.control.persistence.NodeEntity;
import com.streamloom.control.persistence.NodeRepository;
import com.streamloom.spec.node.Heartbeat;
import com.streamloom.spec.node.NodeRole;
import com.streamloom.spec.node.PipelineStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The nodes, in memory: a heartbeat updates a {@link NodeState} and never touches the database;
 * {@link #flush()} writes changed nodes in one transaction and merges what other replicas wrote, so the leader sees
 * heartbeats that reached any replica.
 */
@ApplicationScoped
public class NodeRegistry {
    private static final Logger LOG = Logger.getLogger(NodeRegistry.class);

    private final ConcurrentHashMap<String, NodeState> nodes = new ConcurrentHashMap<>();
    /** Bumped after a node appears or its role or RTMP address changes: answers that forward to it must change. */
    private final AtomicLong addressChanges = new AtomicLong();
    /** When {@link #load()} ran. */
    private volatile long loadedAt;
    /**
     * Nodes loaded as up that have not reported since {@link #load()} (to this replica or, as the database shows,
     * to another), with the last heartbeat stored then.
     */
    private final ConcurrentHashMap<String, Long> unconfirmed = new ConcurrentHashMap<>();

    @Inject
    NodeRepository repository;
    @Inject
    ControlConfig config;
    @Inject
    Clock clock;
    @Inject
    Leadership leadership;
    @Inject
    jakarta.persistence.EntityManager em;

    /** Records a heartbeat; returns true when this node was unknown or down (it joined). */
    public boolean heartbeat(Heartbeat hb) {
        long now = clock.millis();
        boolean[] joined = {false};
        NodeState state = nodes.computeIfAbsent(hb.nodeId(), id -> {
            joined[0] = true;
            return new NodeState(id, now);
        });
        unconfirmed.remove(hb.nodeId());
        if (!state.up()) {
            joined[0] = true;
            LOG.infof("node %s is back", hb.nodeId());
        } else if (joined[0]) {
            LOG.infof("node %s joined as %s (%s, %s)", hb.nodeId(), hb.role(), hb.rtmpUrl(), hb.httpUrl());
        }
        double cpu = hb.load() == null ? 0 : hb.load().cpu();
        long mem = hb.load() == null ? 0 : hb.load().memoryBytes();
        List<PipelineStatus> pipelines = hb.load() == null || hb.load().pipelines() == null
                ? List.of() : hb.load().pipelines();
        if (hb.load() != null) {
            state.reportHls(hb.load().hlsMemoryBytes(), hb.load().hlsMemoryBudgetBytes());
        }
        if (state.report(hb.role(), hb.rtmpUrl(), hb.httpUrl(), hb.capacity(), cpu, mem, pipelines, now)) {
            addressChanges.incrementAndGet();
        }
        return joined[0];
    }

    /** Counts changes of node roles and RTMP addresses (see {@link AssignmentIndex#answerFor}). */
    long addressChanges() {
        return addressChanges.get();
    }

    public Optional<NodeState> get(String nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    public Collection<NodeState> all() {
        return nodes.values();
    }

    public List<NodeState> up(NodeRole role) {
        List<NodeState> out = new ArrayList<>();
        for (NodeState n : nodes.values()) {
            if (n.up() && n.role() == role) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * Marks down every node not heard from within the configured missed heartbeats, and every node that missed a
     * heartbeat and whose HTTP port actively refuses connections (its process is gone: no reason to wait for two
     * more heartbeats); returns the newly down ones. A node that is merely silent or unreachable (a dead machine, a
     * network cut) only goes down by the missed-heartbeat rule. A node known only from before this control API
     * started has {@code nodes.restart-grace} to report first (the whole system may be starting).
     */
    public List<NodeState> detectDown() {
        long now = clock.millis();
        long deadline = now - config.nodes().downAfter().toMillis();
        long overdue = now - config.nodes().heartbeatInterval().toMillis() - 500;
        long graceEnd = loadedAt + Math.max(config.nodes().restartGrace().toMillis(), config.nodes().downAfter().toMillis());
        List<NodeState> down = new ArrayList<>();
        for (NodeState n : nodes.values()) {
            if (!n.up()) {
                continue;
            }
            if (unconfirmed.containsKey(n.id())) {
                if (now > graceEnd) {
                    unconfirmed.remove(n.id());
                    n.markDown();
                    down.add(n);
                    LOG.infof("node %s has not reported since the control API started %d s ago; marked down until it "
                            + "does", n.id(), (now - loadedAt) / 1000);
                }
                continue;
            }
            if (n.lastSeen() < deadline) {
                n.markDown();
                down.add(n);
                LOG.warnf("node %s is down: no heartbeat for %d ms", n.id(), now - n.lastSeen());
            } else if (n.lastSeen() < overdue && refusesConnections(n)) {
                n.markDown();
                down.add(n);
                LOG.warnf("node %s is down: heartbeat overdue by %d ms and its port refuses connections", n.id(),
                        now - n.lastSeen() - config.nodes().heartbeatInterval().toMillis());
            }
        }
        return down;
    }

    /** True only for an active refusal (RST): nothing listens where the node said it would. */
    static boolean refusesConnections(NodeState n) {
        if (n.httpUrl() == null) {
            return false;
        }
        try {
            java.net.URI uri = java.net.URI.create(n.httpUrl());
            int port = uri.getPort() > 0 ? uri.getPort() : 80;
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(uri.getHost(), port), 300);
                return false;
            }
        } catch (java.net.ConnectException e) {
            return e.getMessage() != null && e.getMessage().contains("refused");
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Writes changed nodes to the database and takes newer heartbeats other replicas wrote. Whether a known node is up
     * is the leader's decision: only a leader whose fencing epoch holds writes it; other replicas write the
     * heartbeats they received.
     */
    public void flush() {
        QuarkusTransaction.requiringNew().run(() -> {
            boolean decidesUp = leadership.isLeader() && fenced();
            Map<String, NodeEntity> stored = new HashMap<>();
            for (NodeEntity e : repository.listAll()) {
                stored.put(e.id, e);
            }
            for (NodeEntity e : stored.values()) {
                NodeState mem = nodes.get(e.id);
                if (mem == null) {
                    NodeState fresh = new NodeState(e.id, e.registeredAt);
                    fresh.mergeStored(e, e.lastSeen);
                    fresh.setUp(e.up);
                    fresh.takeDirty();
                    if (nodes.putIfAbsent(e.id, fresh) == null) {
                        addressChanges.incrementAndGet();
                    }
                } else {
                    if (mem.mergeStored(e, e.lastSeen)) {
                        addressChanges.incrementAndGet();
                    }
                    Long atLoad = unconfirmed.get(e.id);
                    if (atLoad != null && e.lastSeen > atLoad) {
                        unconfirmed.remove(e.id, atLoad); // it reported to another replica
                    }
                }
            }
            for (NodeState n : nodes.values()) {
                if (!n.takeDirty() || n.role() == null) {
                    continue;
                }
                NodeEntity e = stored.get(n.id());
                boolean isNew = e == null;
                if (isNew) {
                    e = new NodeEntity();
                    e.id = n.id();
                    e.registeredAt = n.registeredAt();
                }
                e.role = n.role().name();
                e.rtmpUrl = n.rtmpUrl();
                e.httpUrl = n.httpUrl();
                e.capacity = n.capacity();
                e.cpu = n.cpu();
                e.memoryBytes = n.memoryBytes();
                e.hlsMemoryBytes = n.hlsMemoryBytes();
                e.hlsMemoryBudgetBytes = n.hlsMemoryBudgetBytes();
                if (isNew || decidesUp) {
                    e.up = n.up();
                }
                e.lastSeen = Math.max(e.lastSeen, n.lastSeen());
                if (isNew) {
                    repository.persist(e);
                }
            }
        });
    }

    private boolean fenced() {
        try {
            em.unwrap(org.hibernate.Session.class).doWork(leadership.guard()::fence);
            return true;
        } catch (StaleEpochException e) {
            return false;
        }
    }

    /**
     * Loads the nodes at start. A node that was up gets a full heartbeat period from now before it can be declared
     * down, so a restart of the control API does not fail over healthy nodes.
     */
    public void load() {
        long now = clock.millis();
        loadedAt = now;
        nodes.clear();
        unconfirmed.clear();
        QuarkusTransaction.requiringNew().run(() -> {
            for (NodeEntity e : repository.listAll()) {
                NodeState s = new NodeState(e.id, e.registeredAt);
                s.mergeStored(e, e.up ? Math.max(now, e.lastSeen) : e.lastSeen);
                s.setUp(e.up);
                s.takeDirty();
                nodes.put(e.id, s);
                if (e.up) {
                    unconfirmed.put(e.id, e.lastSeen);
                }
            }
        });
        addressChanges.incrementAndGet();
    }
}
