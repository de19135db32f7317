package com.streamloom.edge;

import com.streamloom.node.NodeConfig;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.RtspCamera;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An IP camera (GStreamer's RTSP server, a real one) pulled by the edge: HLS comes out; the camera going away turns
 * the stream to "reconnecting" without harming the edge; when it comes back the same playlist continues.
 */
class EdgePullStreamTest {

    @Test
    void cameraIsPulledAndReconnectedAfterItComesBack() throws Exception {
        try (RtspCamera camera = RtspCamera.builder().size(320, 240).fps(25).start()) {
            Path cfg = Files.createTempFile("edge", ".json");
            Files.writeString(cfg, """
                    {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1",
                     "streams": [{"spec": {"name": "lobby",
                       "source": {"type": "rtsp-pull", "url": "%s", "transport": "tcp", "timeoutMs": 2000},
                       "stages": [{"type": "gaussian-blur", "kernel": 7}],
                       "encoding": {"bitrateKbps": 500}, "output": {"segmentSeconds": 1, "windowSegments": 5}}}]}
                    """.formatted(camera.url()));
            try (EdgeNode edge = EdgeNode.start(NodeConfig.load(cfg, Map.of("STREAMLOOM_RTMP_PORT",
                    String.valueOf(Ports.free()), "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1935, 8081))) {
                URI playlist = URI.create("http://127.0.0.1:" + edge.httpPort() + "/hls/lobby/index.m3u8");
                HlsProbe.Playlist first = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                        .ignoreExceptions().until(() -> HlsProbe.fetchPlaylist(playlist), p -> p.segments().size() >= 2);
                assertThat(edge.streams().get("lobby").state()).isEqualTo("live");
                assertThat(HlsProbe.decode(HlsProbe.download(first.last().uri())).pictures()).isNotEmpty();

                camera.stop();
                await().atMost(Duration.ofSeconds(15)).until(() -> edge.streams().get("lobby").state().equals("reconnecting"));
                assertThat(edge.streams().get("lobby").error()).isNotBlank();

                camera.start();
                long before = HlsProbe.fetchPlaylist(playlist).last().sequence();
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                        .until(() -> {
                            HlsProbe.Playlist p = HlsProbe.fetchPlaylist(playlist);
                            return edge.streams().get("lobby").state().equals("live") && p.last().sequence() > before + 1
                                    && p.discontinuities() + p.discontinuitySequence() >= 1;
                        });
            }
        }
    }
}
