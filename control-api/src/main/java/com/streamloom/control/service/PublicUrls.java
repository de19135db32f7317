package com.streamloom.control.service;

import com.streamloom.control.ControlConfig;
import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.cluster.NodeState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * The URLs a user gets: on the node that runs the thing, or on the configured public host while it has none (the
 * one-command start has one edge there).
 */
@ApplicationScoped
public class PublicUrls {
    @Inject
    ControlConfig config;
    @Inject
    NodeRegistry nodes;

    /** rtmp://edge:1935/live: with the stream key as RTMP stream name, all OBS needs. */
    public String ingestUrl(String assignedNode) {
        return node(assignedNode).map(n -> trim(n.rtmpUrl()) + "/live").orElse(trim(config.publicRtmpUrl()));
    }

    public String playbackUrl(String assignedNode, String name) {
        String base = node(assignedNode).map(n -> trim(n.httpUrl()) + "/hls").orElse(trim(config.publicHlsUrl()));
        return base + "/" + name + "/index.m3u8";
    }

    private Optional<NodeState> node(String id) {
        return id == null ? Optional.empty() : nodes.get(id).filter(NodeState::up);
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
