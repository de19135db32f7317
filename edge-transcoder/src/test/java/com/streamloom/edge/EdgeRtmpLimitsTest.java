package com.streamloom.edge;

import com.streamloom.media.testing.Ports;
import com.streamloom.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariant: a running edge keeps the RTMP limits of its settings and shows each refusal at /metrics by reason. */
class EdgeRtmpLimitsTest {
    @TempDir
    Path dir;

    @Test
    void refusalsOfTheConfiguredLimitsShowAtMetricsByReason() throws Exception {
        Path cfg = Files.writeString(dir.resolve("edge.json"), """
                {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1", "rtmp": {"maxConnections": 1}}""");
        NodeConfig config = NodeConfig.load(cfg, Map.of("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_RTMP_PUBLISH_TIMEOUT_MS", "2000"), 1935, 8081);
        try (EdgeNode edge = EdgeNode.start(config);
             Socket held = new Socket("127.0.0.1", edge.rtmpPort())) {
            held.setSoTimeout(10_000);
            handshake(held);                                   // admitted: the one connection allowed
            try (Socket over = new Socket("127.0.0.1", edge.rtmpPort())) {
                over.setSoTimeout(10_000);
                assertThat(over.getInputStream().read()).as("refused: closed at once").isEqualTo(-1);
            }
            // it never publishes: closed at the deadline (after the status RTMP can carry)
            assertThat(held.getInputStream().readAllBytes()).isNotEmpty();

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + edge.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("streamloom_rtmp_rejected_total{reason=\"connections\"} 1.0",
                    "streamloom_rtmp_rejected_total{reason=\"publish-deadline\"} 1.0",
                    "streamloom_rtmp_rejected_total{reason=\"not-reading\"} 0.0",
                    "streamloom_rtmp_buffered_bytes");
        }
    }

    /** C0+C1, then S0+S1+S2, then C2 (RTMP spec 5.2). */
    private static void handshake(Socket socket) throws Exception {
        byte[] c0c1 = new byte[1 + 1536];
        c0c1[0] = 3;                                           // version 3
        socket.getOutputStream().write(c0c1);
        InputStream in = socket.getInputStream();
        assertThat(in.readNBytes(1 + 2 * 1536)).hasSize(1 + 2 * 1536);
        socket.getOutputStream().write(new byte[1536]);        // C2
    }
}
