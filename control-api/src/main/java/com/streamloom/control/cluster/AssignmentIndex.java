package com.streamloom.control.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.persistence.CompositionEntity;
import com.streamloom.control.persistence.StreamEntity;
import com.streamloom.control.placement.CostModel;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.StreamSpec;
import com.streamloom.control.service.StreamKeys;
import com.streamloom.spec.node.DesiredState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * Every stream and composition and where it runs, in memory, indexed by node and by key hash: the heartbeat answer
 * and the publish-check are built from it without a query. The database stays the truth: services
 * update the index after their transaction commits, and {@link #syncIfChanged()} reloads it when another replica
 * changed the tables.
 */
@ApplicationScoped
public class AssignmentIndex {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AssignmentIndex.class);
    private final ConcurrentHashMap<String, StreamView> streams = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompositionView> compositions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> streamIdByKeyHash = new ConcurrentHashMap<>();
    /** Keyed by the name in lower case: names that differ only in case are one name (an HLS path on any disk). */
    private final ConcurrentHashMap<String, String> streamIdByName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> streamsByNode = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> compositionsByNode = new ConcurrentHashMap<>();
    /** Stream name to every composition that takes it as input. */
    private volatile Map<String, Set<String>> compositionsByInput = Map.of();
    private volatile String tableMarker = "";
    /** Counts local changes, so a reload never replaces the index with a snapshot older than a local write. */
    private long localWrites;
    /**
     * Change counters behind the cached heartbeat answers ({@link #answerFor}), bumped after the maps changed: one
     * per node for the streams on it, and one for what can change any node's answer (a composition re-routes its
     * inputs wherever they run; a reload replaces everything; the playback keys count their own).
     */
    private final ConcurrentHashMap<String, AtomicLong> nodeChanges = new ConcurrentHashMap<>();
    private final AtomicLong sharedChanges = new AtomicLong();

    @Inject
    ObjectMapper json;
    @Inject
    CostModel costs;
    @Inject
    NodeRegistry nodes;
    @Inject
    EntityManager em;
    @Inject
    Clock clock;
    @Inject
    PlaybackKeyRing playbackKeys;
    @Inject
    ForwardTokens forwardTokens;
    private volatile CompositorForwards forwards;

    public Optional<StreamView> stream(String id) {
        return Optional.ofNullable(streams.get(id));
    }

    public Optional<StreamView> streamByKeyHash(String keyHash) {
        String id = streamIdByKeyHash.get(keyHash);
        return id == null ? Optional.empty() : stream(id);
    }

    /** The stream with exactly this name. */
    public Optional<StreamView> streamByName(String name) {
        return streamByNameIgnoringCase(name).filter(s -> s.name().equals(name));
    }

    /** The stream whose name equals {@code name} but for case ({@code Cam1} for {@code cam1}). */
    public Optional<StreamView> streamByNameIgnoringCase(String name) {
        String id = streamIdByName.get(nameKey(name));
        return id == null ? Optional.empty() : stream(id);
    }

    static String nameKey(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    public Collection<StreamView> streams() {
        return streams.values();
    }

    public Optional<CompositionView> composition(String id) {
        return Optional.ofNullable(compositions.get(id));
    }

    public Collection<CompositionView> compositions() {
        return compositions.values();
    }

    public List<CompositionView> compositionsUsing(String streamName) {
        List<CompositionView> out = new ArrayList<>();
        for (String id : compositionsByInput.getOrDefault(streamName, Set.of())) {
            composition(id).ifPresent(out::add);
        }
        return out;
    }

    public synchronized void put(StreamView v) {
        localWrites++;
        StreamView old = streams.put(v.id(), v);
        if (old != null) {
            unindex(old);
        }
        if (v.keyHash() != null) {
            streamIdByKeyHash.put(v.keyHash(), v.id());
        }
        streamIdByName.put(nameKey(v.name()), v.id());
        if (v.assignedNode() != null) {
            streamsByNode.computeIfAbsent(v.assignedNode(), k -> ConcurrentHashMap.newKeySet()).add(v.id());
        }
        changedOn(old == null ? null : old.assignedNode());
        changedOn(v.assignedNode());
    }

    public synchronized void removeStream(String id) {
        localWrites++;
        StreamView old = streams.remove(id);
        if (old != null) {
            unindex(old);
            changedOn(old.assignedNode());
        }
    }

    private void changedOn(String nodeId) {
        if (nodeId != null) {
            nodeChanges.computeIfAbsent(nodeId, k -> new AtomicLong()).incrementAndGet();
        }
    }

    private void unindex(StreamView old) {
        streamIdByName.remove(nameKey(old.name()), old.id());
        if (old.keyHash() != null) {
            streamIdByKeyHash.remove(old.keyHash(), old.id());
        }
        if (old.assignedNode() != null) {
            Set<String> s = streamsByNode.get(old.assignedNode());
            if (s != null) {
                s.remove(old.id());
            }
        }
    }

    public synchronized void put(CompositionView v) {
        localWrites++;
        CompositionView old = compositions.put(v.id(), v);
        if (old != null && old.assignedNode() != null) {
            compositionsByNode.getOrDefault(old.assignedNode(), Set.of()).remove(old.id());
        }
        if (v.assignedNode() != null) {
            compositionsByNode.computeIfAbsent(v.assignedNode(), k -> ConcurrentHashMap.newKeySet()).add(v.id());
        }
        reindexInputs();
    }

    public synchronized void removeComposition(String id) {
        localWrites++;
        CompositionView old = compositions.remove(id);
        if (old != null && old.assignedNode() != null) {
            compositionsByNode.getOrDefault(old.assignedNode(), Set.of()).remove(old.id());
        }
        reindexInputs();
    }

    private void reindexInputs() {
        Map<String, Set<String>> byInput = new HashMap<>();
        for (CompositionView c : compositions.values()) {
            c.spec().inputs().forEach(in -> byInput.computeIfAbsent(in.stream(), k -> new HashSet<>()).add(c.id()));
        }
        byInput.replaceAll((stream, ids) -> Set.copyOf(ids));
        compositionsByInput = Map.copyOf(byInput);
        sharedChanges.incrementAndGet();
    }

    public List<StreamView> streamsOn(String nodeId) {
        List<StreamView> out = new ArrayList<>();
        for (String id : streamsByNode.getOrDefault(nodeId, Set.of())) {
            StreamView v = streams.get(id);
            if (v != null && nodeId.equals(v.assignedNode())) {
                out.add(v);
            }
        }
        return out;
    }

    public List<CompositionView> compositionsOn(String nodeId) {
        List<CompositionView> out = new ArrayList<>();
        for (String id : compositionsByNode.getOrDefault(nodeId, Set.of())) {
            CompositionView v = compositions.get(id);
            if (v != null && nodeId.equals(v.assignedNode())) {
                out.add(v);
            }
        }
        return out;
    }

    /** Cost already assigned to each node (what a placement run books on top of the nodes' reported load). */
    public Map<String, Double> assignedCostByNode() {
        return sumByNode(StreamView::cost, CompositionView::cost, Double::sum);
    }

    /** HLS memory already assigned to each node: each placed stream's and composition's share. */
    public Map<String, Long> assignedHlsBytesByNode() {
        return sumByNode(v -> costs.streamHlsBytes(v.spec()), v -> costs.compositionHlsBytes(v.spec()), Long::sum);
    }

    private <T> Map<String, T> sumByNode(Function<StreamView, T> ofStream, Function<CompositionView, T> ofComposition,
                                         BinaryOperator<T> sum) {
        Map<String, T> out = new HashMap<>();
        streams.values().stream().filter(v -> v.assignedNode() != null)
                .forEach(v -> out.merge(v.assignedNode(), ofStream.apply(v), sum));
        compositions.values().stream().filter(v -> v.assignedNode() != null)
                .forEach(v -> out.merge(v.assignedNode(), ofComposition.apply(v), sum));
        return out;
    }

    /**
     * The spec the edge runs for this stream: forwarding also to the compositor of every placed composition that
     * takes it, each target with its forward token ({@link CompositorForwards}). Only the edge gets it (desired
     * state, publish-check).
     */
    public StreamSpec runnableSpec(StreamView v) {
        return forwards().spec(v, compositionsUsing(v.name()), true);
    }

    /** The same spec for answers to people: the compositor targets without their tokens. */
    public StreamSpec shownSpec(StreamView v) {
        return forwards().spec(v, compositionsUsing(v.name()), false);
    }

    private CompositorForwards forwards() {
        CompositorForwards f = forwards;
        if (f == null) {
            f = new CompositorForwards(nodes, forwardTokens);
            forwards = f;
        }
        return f;
    }

    /** The node's desired state, built from memory; its version increases only when its content changes. */
    public DesiredState desiredFor(NodeState node) {
        return answerFor(node).state();
    }

    /**
     * The node's desired state and its JSON. Rebuilt only when a counter it depends on moved since the node's last
     * answer, so a steady heartbeat costs two counter reads. The counters are read before the
     * maps: a change that lands while this builds moves them again, and the next heartbeat rebuilds.
     */
    public DesiredAnswer answerFor(NodeState node) {
        // Both sums only grow, so an unchanged sum means neither counter moved.
        long shared = sharedChanges.get() + nodes.addressChanges() + playbackKeys.changes();
        AtomicLong mineCounter = nodeChanges.get(node.id());
        long mine = mineCounter == null ? 0 : mineCounter.get();
        DesiredAnswer cached = node.answer();
        if (cached != null && cached.sharedChanges() == shared && cached.nodeChanges() == mine) {
            return cached;
        }
        DesiredState state = buildDesired(node);
        byte[] body = cached != null && cached.state() == state ? cached.json() : write(state);
        DesiredAnswer answer = new DesiredAnswer(shared, mine, state, body);
        node.answer(answer);
        return answer;
    }

    private byte[] write(DesiredState state) {
        try {
            return json.writeValueAsBytes(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("desired state not serialisable", e);
        }
    }

    private DesiredState buildDesired(NodeState node) {
        List<DesiredState.StreamAssignment> s = streamsOn(node.id()).stream()
                .map(v -> new DesiredState.StreamAssignment(v.id(), runnableSpec(v), v.keyHash()))
                .sorted(Comparator.comparing(DesiredState.StreamAssignment::id)).toList();
        List<DesiredState.CompositionAssignment> c = compositionsOn(node.id()).stream()
                .map(v -> new DesiredState.CompositionAssignment(v.id(), v.spec(), forwards().inputTokenHashes(v)))
                .sorted(Comparator.comparing(DesiredState.CompositionAssignment::id)).toList();
        return node.desired(s, c, playbackKeys.accepted(),
                StreamKeys.hash(forwardTokens.controlToken(node.id())), clock.millis());
    }

    public StreamView view(StreamEntity e) {
        StreamSpec spec = read(e.specJson, StreamSpec.class);
        return new StreamView(e.id, e.name, spec, e.keyHash, e.assignedNode, e.state, e.pendingReason,
                e.version + e.placementVersion, e.createdAt, costs.streamCost(spec));
    }

    public CompositionView view(CompositionEntity e) {
        CompositionSpec spec = read(e.specJson, CompositionSpec.class);
        return new CompositionView(e.id, e.name, spec, e.assignedNode, e.state, e.pendingReason,
                e.version + e.placementVersion, e.createdAt, costs.compositionCost(spec));
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored spec is not valid JSON", e);
        }
    }

    /**
     * Replaces the whole index with the database's content (at start, and when another replica wrote). Returns false
     * when a local write happened meanwhile: the snapshot may predate it, so the caller tries again later.
     */
    public boolean reload() {
        long writesBefore;
        synchronized (this) {
            writesBefore = localWrites;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            List<StreamView> s = em.createQuery("from StreamEntity", StreamEntity.class).getResultList().stream()
                    .map(this::view).toList();
            List<CompositionView> c = em.createQuery("from CompositionEntity", CompositionEntity.class)
                    .getResultList().stream().map(this::view).toList();
            String marker = readMarker();
            synchronized (this) {
                if (localWrites != writesBefore) {
                    return false;
                }
                streams.clear();
                compositions.clear();
                streamIdByKeyHash.clear();
                streamIdByName.clear();
                streamsByNode.clear();
                compositionsByNode.clear();
                s.forEach(this::put);
                c.forEach(this::put);
                reindexInputs();
                tableMarker = marker;
                // after a reload a node may have lost all its streams (no per-node bump for those): rebuild all
                sharedChanges.incrementAndGet();
                localWrites = writesBefore;
                return true;
            }
        });
    }

    /**
     * Reloads when the tables differ from what this index last loaded or wrote. Every write bumps a row's version,
     * so row count plus version sum changes with every insert, update and delete.
     */
    public void syncIfChanged() {
        String marker = QuarkusTransaction.requiringNew().call(this::readMarker);
        if (!marker.equals(tableMarker) && !marker.equals(expectedMarker())) {
            if (reload()) {
                LOG.infof("index reloaded: the tables were changed by another replica (%s)", marker);
            }
        } else {
            tableMarker = marker;
        }
    }

    private String readMarker() {
        Object[] s = (Object[]) em.createQuery("select count(s), coalesce(sum(s.version + s.placementVersion), 0) from StreamEntity s")
                .getSingleResult();
        Object[] c = (Object[]) em.createQuery("select count(c), coalesce(sum(c.version + c.placementVersion), 0) from CompositionEntity c")
                .getSingleResult();
        return s[0] + ":" + s[1] + "/" + c[0] + ":" + c[1];
    }

    /** The marker the tables have if they hold exactly what this index holds. */
    private synchronized String expectedMarker() {
        long sv = 0;
        for (StreamView v : streams.values()) {
            sv += v.version();
        }
        long cv = 0;
        for (CompositionView v : compositions.values()) {
            cv += v.version();
        }
        return streams.size() + ":" + sv + "/" + compositions.size() + ":" + cv;
    }
}
