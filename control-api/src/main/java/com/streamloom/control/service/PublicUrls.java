package com.streamloom.control.service;

import com.streamloom.control.ControlConfig;
import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.cluster.NodeState;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * The URLs a user gets: on the node that runs the thing, or on the configured public URLs while it has none (the
 * one-command start has one edge there). A node advertises the address the cluster reaches it on; people may need
 * another name for it ({@code streamloom.public-host}), which then replaces the host in every URL built here.
 */
@ApplicationScoped
public class PublicUrls {
    @Inject
    ControlConfig config;
    @Inject
    NodeRegistry nodes;

    /** A start with a public host that cannot be a URL's host fails, naming the setting. */
    void checkPublicHost(@Observes StartupEvent event) {
        config.publicHost().ifPresent(h -> forPeople("http://127.0.0.1:80"));
    }

    /** rtmp://edge:1935/live: with the stream key as RTMP stream name, all OBS needs. */
    public String ingestUrl(String assignedNode) {
        return node(assignedNode).map(n -> trim(forPeople(n.rtmpUrl())) + "/live").orElse(trim(config.publicRtmpUrl()));
    }

    public String playbackUrl(String assignedNode, String name) {
        String base = node(assignedNode).map(n -> trim(forPeople(n.httpUrl())) + "/hls")
                .orElse(trim(config.publicHlsUrl()));
        return base + "/" + name + "/index.m3u8";
    }

    /** {@code nodeUrl} with its host replaced by the public host, if one is configured. */
    public String forPeople(String nodeUrl) {
        Optional<String> host = config.publicHost().map(String::strip).filter(h -> !h.isEmpty());
        if (host.isEmpty() || nodeUrl == null) {
            return nodeUrl;
        }
        String h = host.get().contains(":") && !host.get().startsWith("[") ? "[" + host.get() + "]" : host.get();
        try {
            URI u = new URI(nodeUrl);
            return new URI(u.getScheme() + "://" + h + (u.getPort() > 0 ? ":" + u.getPort() : "")
                    + (u.getRawPath() == null ? "" : u.getRawPath())).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("streamloom.public-host (STREAMLOOM_PUBLIC_HOST) '" + host.get()
                    + "' is not a host name or address", e);
        }
    }

    private Optional<NodeState> node(String id) {
        return id == null ? Optional.empty() : nodes.get(id).filter(NodeState::up);
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
