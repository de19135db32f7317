package com.streamloom.control.cluster;

import com.streamloom.control.service.StreamKeys;
import com.streamloom.spec.OutputSpec;
import com.streamloom.spec.StreamSpec;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where an edge pushes a stream that compositions take as input, and with which token: one target per compositor
 * running such a composition (re-routed when a composition moves), carrying the forward token of that composition
 * input ({@link ForwardTokens}); a compositor running several compositions with this input gets one push, with the
 * token of the first by id, and feeds them all. The compositor's side: each input's token hash.
 */
final class CompositorForwards {
    private static final Logger LOG = Logger.getLogger(CompositorForwards.class);

    private final NodeRegistry nodes;
    private final ForwardTokens tokens;

    CompositorForwards(NodeRegistry nodes, ForwardTokens tokens) {
        this.nodes = nodes;
        this.tokens = tokens;
    }

    /**
     * The stream's spec with the compositor targets added after the user's own, in URL order, so the list (and the
     * edge's desired-state version) changes only when the set of targets does; beyond
     * {@link OutputSpec#MAX_FORWARD_URLS} targets the last ones are left out, as the edge would refuse the spec.
     *
     * @param withToken true for the edge; false for answers to people, which never carry a token
     */
    StreamSpec spec(StreamView v, Collection<CompositionView> using, boolean withToken) {
        // compositor push URL -> the first composition (by id) on it that takes this stream
        Map<String, String> compositionByTarget = new TreeMap<>();
        for (CompositionView c : using) {
            if (c.assignedNode() != null) {
                nodes.get(c.assignedNode()).ifPresent(n -> compositionByTarget.merge(
                        BaseUrl.trimSlash(n.rtmpUrl()) + "/live/" + v.name(), c.id(),
                        (a, b) -> a.compareTo(b) <= 0 ? a : b));
            }
        }
        if (compositionByTarget.isEmpty()) {
            return v.spec();
        }
        OutputSpec o = v.spec().output();
        Set<String> targets = new LinkedHashSet<>(o.forwardTargets());
        compositionByTarget.forEach((url, compositionId) -> targets.add(withToken
                ? url + "?token=" + tokens.token(compositionId, v.name()) : url));
        if (targets.size() > OutputSpec.MAX_FORWARD_URLS) {
            LOG.debugf("stream %s has %d forward targets; the last %d are left out", v.name(), targets.size(),
                    targets.size() - OutputSpec.MAX_FORWARD_URLS);
        }
        return v.spec().withOutput(o.withForwardUrls(targets.stream().limit(OutputSpec.MAX_FORWARD_URLS).toList()));
    }

    /** Each input's forward-token SHA-256, which the compositor checks an edge's push against. */
    Map<String, String> inputTokenHashes(CompositionView v) {
        Map<String, String> out = new TreeMap<>();
        v.spec().inputs().forEach(in -> out.put(in.stream(), StreamKeys.hash(tokens.token(v.id(), in.stream()))));
        return out;
    }
}
