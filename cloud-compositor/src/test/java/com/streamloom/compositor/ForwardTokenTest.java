package com.streamloom.compositor;

import com.streamloom.edge.EdgeNode;
import com.streamloom.node.NodeConfig;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.SyntheticPublisher;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.node.DesiredState;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * In a cluster a compositor takes an edge's push only with the forward token of that composition input: the other
 * input's token and the cluster's node token are refused, the input's own token is taken. The edge and compositor
 * run in this JVM; the compositor's desired state is what the control API sends (token hashes per input).
 */
class ForwardTokenTest {
    static final String KEY = "edge-key-for-forward-tests";
    /** The edge's and compositor's node token (standalone API secret here; in a cluster, the join token). */
    static final String NODE_TOKEN = "Vq7-Lm3xKp9Rt2Wz8Yb4Nc6Hd1Fs";
    static final String CAM1_TOKEN = "kM2pX9vR4tL7wQ3zN8bY5cH1dF6gJ0sA-e_Tu4iOo2q";
    static final String CAM2_TOKEN = "Zr5tY8uI1oP4aS7dF0gH3jK6lX9cV2bN-m_Qw5eRt8y";

    private EdgeNode edge;
    private CompositorNode compositor;
    private SyntheticPublisher publisher;

    @AfterEach
    void stop() {
        if (publisher != null) publisher.close();
        if (edge != null) edge.close();
        if (compositor != null) compositor.close();
    }

    @Test
    void anEdgeFeedsAnInputOnlyWithThatInputsForwardToken() throws Exception {
        int compRtmp = Ports.free();
        Path compCfg = Files.createTempFile("compositor", ".json");
        Files.writeString(compCfg, """
                {"bindHost": "127.0.0.1", "nodeToken": "%s"}""".formatted(NODE_TOKEN));
        compositor = CompositorNode.start(NodeConfig.load(compCfg, Map.of("STREAMLOOM_RTMP_PORT",
                String.valueOf(compRtmp), "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1936, 8082));
        CompositionSpec wall = new ObjectMapper().readValue("""
                {"name": "wall", "canvas": {"width": 320, "height": 180, "fps": 15},
                 "inputs": [{"stream": "cam1"}, {"stream": "cam2"}], "layout": {"type": "side-by-side"},
                 "output": {"segmentSeconds": 1, "windowSegments": 6}}""", CompositionSpec.class);
        compositor.apply(new DesiredState(1, List.of(), List.of(new DesiredState.CompositionAssignment(
                "comp-1", wall, Map.of("cam1", sha256(CAM1_TOKEN), "cam2", sha256(CAM2_TOKEN))))));

        startEdge(forwardTo(compRtmp, CAM2_TOKEN));
        URI edgePlaylist = URI.create("http://127.0.0.1:" + edge.httpPort() + "/hls/cam1/index.m3u8");
        await("the edge processes the stream").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> !HlsProbe.fetchPlaylist(edgePlaylist).segments().isEmpty());
        assertNeverPublishing("with cam2's token");

        changeForward(forwardTo(compRtmp, NODE_TOKEN));
        assertNeverPublishing("with the node token");

        changeForward(forwardTo(compRtmp, CAM1_TOKEN));
        await("cam1's own token opens cam1").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> compositor.compositions().isPublishing("cam1"));
    }

    /** The edge keeps trying (it reconnects with back-off); for 4 s the compositor never takes its push. */
    private void assertNeverPublishing(String how) {
        long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < end) {
            assertThat(compositor.compositions().isPublishing("cam1")).as("cam1 publishing " + how).isFalse();
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
    }

    private static String forwardTo(int compositorRtmpPort, String token) {
        return "rtmp://127.0.0.1:" + compositorRtmpPort + "/live/cam1?token=" + token;
    }

    private static String spec(String forwardUrl) {
        return """
                {"name": "cam1", "encoding": {"bitrateKbps": 300},
                 "output": {"segmentSeconds": 1, "windowSegments": 6, "forwardUrls": ["%s"]}}""".formatted(forwardUrl);
    }

    private void startEdge(String forwardUrl) throws Exception {
        Path edgeCfg = Files.createTempFile("edge", ".json");
        Files.writeString(edgeCfg, """
                {"bindHost": "127.0.0.1", "nodeToken": "%s", "streams": [{"key": "%s", "spec": %s}]}
                """.formatted(NODE_TOKEN, KEY, spec(forwardUrl)));
        edge = EdgeNode.start(NodeConfig.load(edgeCfg, Map.of("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1935, 8081));
        publisher = SyntheticPublisher.builder().size(320, 180).fps(15).videoKbps(200)
                .publishTo("rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + KEY);
    }

    private void changeForward(String forwardUrl) throws Exception {
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + edge.httpPort() + "/api/streams/cam1"))
                .header("Authorization", "Bearer " + NODE_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(spec(forwardUrl))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
