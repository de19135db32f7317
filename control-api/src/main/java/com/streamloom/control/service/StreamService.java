package com.streamloom.control.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.api.ApiException;
import com.streamloom.control.cluster.AssignmentIndex;
import com.streamloom.control.cluster.PublishGrants;
import com.streamloom.control.cluster.StartFailures;
import com.streamloom.control.placement.PlacementService;
import com.streamloom.control.cluster.CompositionView;
import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.cluster.NodeState;
import com.streamloom.control.cluster.StreamView;
import com.streamloom.control.persistence.StreamEntity;
import com.streamloom.control.persistence.StreamRepository;
import com.streamloom.control.placement.CostModel;
import com.streamloom.spec.OutputSpec;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.node.NodeRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Comparator;
import java.util.List;

/** Streams: create (placed at once when this replica leads), read, update live, delete, keys, captions. */
@ApplicationScoped
public class StreamService {
    private static final Logger LOG = Logger.getLogger(StreamService.class);
    static final int MAX_CAPTION_CHARS = 500;

    @Inject
    StreamRepository repository;
    @Inject
    AssignmentIndex index;
    @Inject
    PlacedRecords records;
    @Inject
    NodeRegistry nodes;
    @Inject
    CostModel costs;
    @Inject
    CaptionForwarder captions;
    @Inject
    ObjectMapper json;
    @Inject
    OutboundHosts outbound;
    @Inject
    StartFailures startFailures;
    @Inject
    PlacementService placement;
    @Inject
    PublishGrants grants;

    /** A new stream and, for a push stream, its key: the only time the key exists outside the publisher. */
    public record Created(StreamView stream, String streamKey) {
    }

    public Created create(StreamSpec raw) {
        StreamSpec spec = Specs.validate(raw, () -> outbound.checked(raw.validated()));
        String specJson = Specs.toJson(json, spec);
        index.streamByNameIgnoringCase(spec.name()).ifPresent(taken -> {
            throw ApiException.conflict("a stream named " + taken.name() + " exists already"
                    + (taken.name().equals(spec.name()) ? "" : " (names that differ only in case are one name)"));
        });
        String key = spec.source().isPull() ? null : StreamKeys.newKey();
        double cost = costs.streamCost(spec);
        StreamEntity entity = new StreamEntity();
        entity.keyHash = key == null ? null : StreamKeys.hash(key);
        StreamView created = records.create(entity, spec.name(), specJson, NodeRole.EDGE, cost,
                costs.streamHlsBytes(spec), repository,
                "a stream named " + spec.name() + " exists already", this::publish);
        LOG.infof("stream %s (%s) created: %s %s", created.id(), created.name(), created.state(),
                created.assignedNode() == null ? created.pendingReason() : "on " + created.assignedNode());
        return new Created(created, key);
    }

    public List<StreamView> list() {
        return index.streams().stream().sorted(Comparator.comparingLong(StreamView::createdAt)
                .thenComparing(StreamView::id)).toList();
    }

    public StreamView get(String id) {
        return index.stream(id).orElseThrow(() -> ApiException.notFound("stream", id));
    }

    /**
     * Replaces the spec. The node's next heartbeat answer carries it with a higher version, and the node applies a
     * changed stage list to the running pipeline without restarting it.
     */
    public StreamView update(String id, StreamSpec raw) {
        StreamView current = get(id);
        StreamSpec spec = Specs.validate(raw, () -> outbound.checked(raw.validated()));
        if (!spec.name().equals(current.name())) {
            throw ApiException.badRequest("name", "cannot change (it names the HLS path); create a new stream");
        }
        if (!spec.source().type().equals(current.spec().source().type())) {
            throw ApiException.badRequest("source.type", "cannot change from " + current.spec().source().type()
                    + "; create a new stream");
        }
        int compositions = index.compositionsUsing(spec.name()).size();
        if (spec.output().forwardTargets().size() + compositions > OutputSpec.MAX_FORWARD_URLS) {
            throw ApiException.conflict("stream " + spec.name() + " is an input of " + compositions
                    + " compositions, so it can have at most " + (OutputSpec.MAX_FORWARD_URLS - compositions)
                    + " forward targets of its own");
        }
        String specJson = Specs.toJson(json, spec);
        StreamView v = publish(records.change(repository, "stream", id, found -> found.specJson = specJson));
        // a changed spec is a fresh start: its failures so far no longer count
        startFailures.clear(id);
        v = placement.clearFailed(v);
        LOG.infof("stream %s (%s) updated to version %d", id, v.name(), v.version());
        return v;
    }

    public void delete(String id) {
        StreamView current = get(id);
        for (CompositionView c : index.compositions()) {
            if (c.spec().inputs().stream().anyMatch(in -> in.stream().equals(current.name()))) {
                throw ApiException.conflict("stream " + current.name() + " is an input of composition " + c.name()
                        + " (" + c.id() + "); change or delete the composition first");
            }
        }
        Transactions.run(() -> repository.deleteById(id), null);
        index.removeStream(id);
        startFailures.clear(id);
        grants.forget(id);
        LOG.infof("stream %s (%s) deleted", id, current.name());
    }

    /** Restarts a stream a person asked for: its start failures are forgotten and a failed mark cleared. */
    public StreamView restart(String id) {
        StreamView current = get(id);
        startFailures.clear(id);
        return placement.clearFailed(current);
    }

    /** A new key for a push stream; the old one stops working at once. */
    public Created rotateKey(String id) {
        StreamView current = get(id);
        if (!current.isPush()) {
            throw ApiException.conflict("stream " + current.name() + " has no key: it pulls from source.url");
        }
        String key = StreamKeys.newKey();
        StreamView v = publish(records.change(repository, "stream", id, found -> found.keyHash = StreamKeys.hash(key)));
        LOG.infof("stream %s (%s): key rotated", id, v.name());
        return new Created(v, key);
    }

    private StreamView publish(StreamEntity e) {
        StreamView v = index.view(e);
        index.put(v);
        return v;
    }

    /** Sends a caption to the node running the stream now (409 if it runs nowhere). */
    public void caption(String id, String text) {
        StreamView v = get(id);
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("text", "is required");
        }
        if (text.length() > MAX_CAPTION_CHARS) {
            throw ApiException.badRequest("text", "at most " + MAX_CAPTION_CHARS + " characters");
        }
        NodeState node = v.assignedNode() == null ? null : nodes.get(v.assignedNode()).filter(NodeState::up)
                .orElse(null);
        if (node == null) {
            throw ApiException.conflict("stream " + v.name() + " is not running on any node (" + v.state() + ")");
        }
        captions.send(node.id(), node.httpUrl(), v.name(), text);
    }
}
