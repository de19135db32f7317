package com.streamloom.edge;

import com.streamloom.node.NodeConfig;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A standalone edge on free local ports with one push stream: by default without stages (so its HLS carries the
 * publisher's picture re-encoded) and 1 s segments, or with a spec of the test's own; for tests that publish with a
 * real client and watch the HLS or the player page.
 */
final class OneStreamEdge implements AutoCloseable {
    final EdgeNode edge;
    final String name;
    /** OBS's "Server" field: rtmp://127.0.0.1:port/live (rtmps:// with TLS). */
    final String server;
    final URI playlist;

    private OneStreamEdge(EdgeNode edge, String name, boolean tls) {
        this.edge = edge;
        this.name = name;
        this.server = (tls ? "rtmps" : "rtmp") + "://127.0.0.1:" + edge.rtmpPort() + "/live";
        this.playlist = URI.create((tls ? "https" : "http") + "://127.0.0.1:" + edge.httpPort() + "/hls/" + name
                + "/index.m3u8");
    }

    static OneStreamEdge start(String name, String key) throws Exception {
        return withSpec(key, """
                {"name": "%s", "stages": [], "encoding": {"bitrateKbps": 1500},
                 "output": {"segmentSeconds": 1, "windowSegments": 10}}""".formatted(name));
    }

    /** An edge whose one stream, published with {@code key}, has the given spec (JSON, with its "name"). */
    static OneStreamEdge withSpec(String key, String specJson) throws Exception {
        return withSpec(key, specJson, Map.of());
    }

    /** Likewise, with more {@code STREAMLOOM_*} environment settings (e.g. the TLS files). */
    static OneStreamEdge withSpec(String key, String specJson, Map<String, String> env) throws Exception {
        String name = new com.fasterxml.jackson.databind.ObjectMapper().readTree(specJson).get("name").asText();
        Path cfg = Files.createTempFile("edge-" + name, ".json");
        try {
            Files.writeString(cfg, """
                    {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1",
                     "streams": [{"key": "%s", "spec": %s}]}
                    """.formatted(key, specJson));
            Map<String, String> all = new HashMap<>(env);
            all.put("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()));
            all.put("STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free()));
            NodeConfig config = NodeConfig.load(cfg, all, 1935, 8081);
            return new OneStreamEdge(EdgeNode.start(config), name, config.tls());
        } finally {
            Files.deleteIfExists(cfg);
        }
    }

    /** "live", "waiting", ... as the node API reports it. */
    String state() {
        return edge.streams().get(name).state();
    }

    /** The playlist, or null before the first segment exists. */
    HlsProbe.Playlist fetch() {
        try {
            return HlsProbe.fetchPlaylist(playlist);
        } catch (RuntimeException e) {
            return null;
        }
    }

    HlsProbe.Playlist awaitPlaylist(Predicate<HlsProbe.Playlist> condition) {
        return await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
                .until(this::fetch, p -> p != null && condition.test(p));
    }

    @Override
    public void close() {
        edge.close();
    }
}
