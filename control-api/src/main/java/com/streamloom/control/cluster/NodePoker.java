package com.streamloom.control.cluster;

import com.streamloom.spec.node.DesiredState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a node to heartbeat now ({@code POST {httpUrl}/api/agent/heartbeat-now}) when its desired state changed, so
 * a failover, a new stream or a changed spec reaches it at once instead of at its next heartbeat (up to 2 s later).
 * Best effort and asynchronous: a node that does not answer still gets the change with its next heartbeat.
 */
@ApplicationScoped
public class NodePoker {
    private static final Logger LOG = Logger.getLogger(NodePoker.class);

    @Inject
    ForwardTokens tokens;
    @Inject
    AssignmentIndex index;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, Long> notifiedVersion = new ConcurrentHashMap<>();

    /** Pokes every up node whose desired state has a version it has not been poked (or heartbeated) for. */
    public void pokeChanged(Iterable<NodeState> nodes) {
        for (NodeState node : nodes) {
            if (!node.up() || node.httpUrl() == null) {
                continue;
            }
            DesiredState desired = index.desiredFor(node);
            Long seen = notifiedVersion.put(node.id(), desired.version());
            if (seen != null && seen < desired.version()) {
                poke(node);
            }
        }
    }

    private void poke(NodeState node) {
        String base = BaseUrl.trimSlash(node.httpUrl());
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/agent/heartbeat-now"))
                    .timeout(Duration.ofSeconds(2))
                    .header("Authorization", "Bearer " + tokens.controlToken(node.id()))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                if (e != null) {
                    LOG.debugf("poke of %s failed: %s", node.id(), e.toString());
                }
            });
        } catch (IllegalArgumentException e) {
            LOG.debugf("node %s has an unusable httpUrl %s", node.id(), node.httpUrl());
        }
    }
}
