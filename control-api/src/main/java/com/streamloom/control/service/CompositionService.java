package com.streamloom.control.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.api.ApiException;
import com.streamloom.control.cluster.AssignmentIndex;
import com.streamloom.control.cluster.CompositionView;
import com.streamloom.control.cluster.StreamView;
import com.streamloom.control.persistence.CompositionEntity;
import com.streamloom.control.persistence.CompositionRepository;
import com.streamloom.control.placement.CostModel;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.OutputSpec;
import com.streamloom.spec.node.NodeRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Comparator;
import java.util.List;

/**
 * Compositions, placed on compositors. The edges running their inputs forward to the chosen compositor: that is
 * derived from the placement when each edge's desired state is built ({@link AssignmentIndex#runnableSpec}), so a
 * new compositor re-routes the inputs on their edges' next heartbeat.
 */
@ApplicationScoped
public class CompositionService {
    private static final Logger LOG = Logger.getLogger(CompositionService.class);

    @Inject
    CompositionRepository repository;
    @Inject
    AssignmentIndex index;
    @Inject
    PlacedRecords records;
    @Inject
    CostModel costs;
    @Inject
    ObjectMapper json;

    public CompositionView create(CompositionSpec raw) {
        CompositionSpec spec = validate(raw, null);
        String specJson = Specs.toJson(json, spec);
        index.compositions().stream().filter(v -> v.name().equalsIgnoreCase(spec.name())).findFirst()
                .ifPresent(taken -> {
                    throw ApiException.conflict("a composition named " + taken.name() + " exists already"
                            + (taken.name().equals(spec.name()) ? "" : " (names that differ only in case are one name)"));
                });
        double cost = costs.compositionCost(spec);
        CompositionView created = records.create(new CompositionEntity(), spec.name(), specJson, NodeRole.COMPOSITOR,
                cost, costs.compositionHlsBytes(spec), repository, "a composition named " + spec.name() + " exists already", this::publish);
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
        CompositionSpec spec = validate(raw, id);
        if (!spec.name().equals(current.name())) {
            throw ApiException.badRequest("name", "cannot change (it names the HLS path); create a new composition");
        }
        String specJson = Specs.toJson(json, spec);
        CompositionView v = publish(records.change(repository, "composition", id, found -> found.specJson = specJson));
        LOG.infof("composition %s (%s) updated to version %d", id, v.name(), v.version());
        return v;
    }

    public void delete(String id) {
        CompositionView current = get(id);
        Transactions.run(() -> repository.deleteById(id), null);
        index.removeComposition(id);
        LOG.infof("composition %s (%s) deleted", id, current.name());
    }

    private CompositionView publish(CompositionEntity e) {
        CompositionView v = index.view(e);
        index.put(v);
        return v;
    }

    /**
     * Every input must name an existing stream, so a typo is a 400 rather than a slate that never goes away. An edge
     * forwards a stream to at most {@link OutputSpec#MAX_FORWARD_URLS} places (its own targets plus one compositor
     * per composition that takes it), so a composition that would need one more is a 409 rather than an input that
     * silently never arrives. {@code selfId} is the composition being updated (not counted twice), or null.
     */
    private CompositionSpec validate(CompositionSpec raw, String selfId) {
        CompositionSpec spec = Specs.validate(raw, () -> raw.validated());
        for (int i = 0; i < spec.inputs().size(); i++) {
            String name = spec.inputs().get(i).stream();
            String field = "inputs[" + i + "].stream";
            StreamView stream = index.streamByName(name).orElseThrow(() -> ApiException.badRequest(field,
                    "no stream named " + name + index.streamByNameIgnoringCase(name)
                            .map(s -> " (did you mean " + s.name() + "?)").orElse("")));
            long others = index.compositionsUsing(name).stream().filter(c -> !c.id().equals(selfId)).count();
            int own = stream.spec().output().forwardTargets().size();
            if (own + others + 1 > OutputSpec.MAX_FORWARD_URLS) {
                throw ApiException.conflict("stream " + name + " (inputs[" + i + "]) already goes to " + (own + others)
                        + " places (its own forward targets and other compositions); at most "
                        + OutputSpec.MAX_FORWARD_URLS);
            }
        }
        return spec;
    }
}
