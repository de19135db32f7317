package com.streamloom.control.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.api.ApiException;
import com.streamloom.control.cluster.AssignmentIndex;
import com.streamloom.control.cluster.CompositionView;
import com.streamloom.control.cluster.Leadership;
import com.streamloom.control.cluster.StreamView;
import com.streamloom.control.persistence.CompositionEntity;
import com.streamloom.control.persistence.CompositionRepository;
import com.streamloom.control.placement.CostModel;
import com.streamloom.control.placement.PlacementRequest;
import com.streamloom.control.placement.PlacementService;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.node.NodeRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Compositions, placed on compositors. The edges running their inputs forward to the chosen compositor: that is
 * derived from the placement when each edge's desired state is built ({@link AssignmentIndex#runnableSpec}), so a
 * new compositor re-routes the inputs on their edges' next heartbeat (issue 4 line 5).
 */
@ApplicationScoped
public class CompositionService {
    private static final Logger LOG = Logger.getLogger(CompositionService.class);

    @Inject
    CompositionRepository repository;
    @Inject
    AssignmentIndex index;
    @Inject
    PlacementService placement;
    @Inject
    Leadership leadership;
    @Inject
    CostModel costs;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;

    public CompositionView create(CompositionSpec raw) {
        CompositionSpec spec = validate(raw);
        String specJson = Specs.toJson(json, spec);
        if (index.compositions().stream().anyMatch(v -> v.name().equals(spec.name()))) {
            throw ApiException.conflict("a composition named " + spec.name() + " exists already");
        }
        double cost = costs.compositionCost(spec);
        CompositionView created = placement.exclusively(() -> {
            PlacementService.Decision d = leadership.isLeader()
                    ? placement.decide(NodeRole.COMPOSITOR, new PlacementRequest(spec.name(), cost))
                    : new PlacementService.Decision(null, "waiting for the leader replica to place it");
            CompositionEntity e = new CompositionEntity();
            e.id = UUID.randomUUID().toString();
            e.name = spec.name();
            e.specJson = specJson;
            e.assignedNode = d.nodeId();
            e.state = d.nodeId() == null ? StreamView.PENDING : StreamView.ASSIGNED;
            e.pendingReason = d.reason();
            e.createdAt = clock.millis();
            Transactions.run(() -> {
                repository.persist(e);
                repository.flush();
            }, "a composition named " + spec.name() + " exists already");
            CompositionView v = index.view(e);
            index.put(v);
            return v;
        });
        LOG.infof("composition %s (%s) created: %s", created.id(), created.name(), created.state());
        return created;
    }

    public List<CompositionView> list() {
        return index.compositions().stream().sorted(Comparator.comparingLong(CompositionView::createdAt)
                .thenComparing(CompositionView::id)).toList();
    }

    public CompositionView get(String id) {
        return index.composition(id).orElseThrow(() -> ApiException.notFound("composition", id));
    }

    /** Changes inputs, layout, canvas or audio; the compositor applies it from its next heartbeat answer. */
    public CompositionView update(String id, CompositionSpec raw) {
        CompositionView current = get(id);
        CompositionSpec spec = validate(raw);
        if (!spec.name().equals(current.name())) {
            throw ApiException.badRequest("name", "cannot change (it names the HLS path); create a new composition");
        }
        String specJson = Specs.toJson(json, spec);
        CompositionEntity e = Transactions.write(() -> {
            CompositionEntity found = repository.findByIdOptional(id)
                    .orElseThrow(() -> ApiException.notFound("composition", id));
            found.specJson = specJson;
            repository.flush();
            return found;
        }, null);
        CompositionView v = index.view(e);
        index.put(v);
        LOG.infof("composition %s (%s) updated to version %d", id, v.name(), v.version());
        return v;
    }

    public void delete(String id) {
        CompositionView current = get(id);
        Transactions.run(() -> repository.deleteById(id), null);
        index.removeComposition(id);
        LOG.infof("composition %s (%s) deleted", id, current.name());
    }

    /** Every input must name an existing stream, so a typo is a 400 rather than a slate that never goes away. */
    private CompositionSpec validate(CompositionSpec raw) {
        CompositionSpec spec = Specs.validate(raw, () -> raw.validated());
        for (int i = 0; i < spec.inputs().size(); i++) {
            String name = spec.inputs().get(i).stream();
            if (index.streamByName(name).isEmpty()) {
                throw ApiException.badRequest("inputs[" + i + "].stream", "no stream named " + name);
            }
        }
        return spec;
    }
}
