package com.streamloom.edge;

import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.RtspCamera;
import com.streamloom.node.NodeConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the default outbound rules a pull from (or a forward to) the cloud metadata address fails with a status naming
 * the field and the rule, before any connection, while a camera on loopback (reached by name) is pulled as always.
 */
class EdgeOutboundRulesTest {

    @Test
    void aPullFromAndAForwardToTheMetadataAddressAreRefusedAndALoopbackCameraStillWorks() throws Exception {
        try (RtspCamera camera = RtspCamera.builder().size(160, 120).fps(15).start()) {
            String byName = camera.url().replace("127.0.0.1", "localhost");
            Path cfg = Files.createTempFile("edge-outbound", ".json");
            try {
                Files.writeString(cfg, """
                        {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1",
                         "streams": [
                          {"spec": {"name": "meta", "source": {"type": "rtsp-pull",
                             "url": "rtsp://169.254.169.254/latest/meta-data", "timeoutMs": 20000},
                            "output": {"segmentSeconds": 1, "windowSegments": 5}}},
                          {"spec": {"name": "lobby", "source": {"type": "rtsp-pull", "url": "%s", "timeoutMs": 2000},
                            "encoding": {"bitrateKbps": 300}, "output": {"segmentSeconds": 1, "windowSegments": 5}}},
                          {"key": "outbound-test-key-0123456789", "spec": {"name": "relay", "output": {
                            "forwardUrls": ["rtmp://169.254.169.254/live/secret-name"]}}}]}
                        """.formatted(byName));
                try (EdgeNode edge = EdgeNode.start(NodeConfig.load(cfg, Map.of(
                        "STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                        "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1935, 8081))) {
                    // the connect timeout is 20 s: an error before it passed was not a connection that timed out
                    String error = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                            .until(() -> edge.streams().get("meta").error(), e -> e != null && !e.isBlank());
                    assertThat(error).isEqualTo("not connecting: source.url: host 169.254.169.254 is denied by"
                            + " specAccess.outboundDeny rule 169.254.0.0/16");

                    assertThat(edge.streams().get("relay").error()).isEqualTo("forward to "
                            + "rtmp://169.254.169.254:1935/live/<stream key hidden> refused: output.forwardUrls[0]: host"
                            + " 169.254.169.254 is denied by specAccess.outboundDeny rule 169.254.0.0/16");

                    URI playlist = URI.create("http://127.0.0.1:" + edge.httpPort() + "/hls/lobby/index.m3u8");
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                            .until(() -> HlsProbe.fetchPlaylist(playlist), p -> p.segments().size() >= 2);
                    assertThat(edge.streams().get("lobby").state()).isEqualTo("live");
                    assertThat(edge.streams().get("meta").state()).isNotEqualTo("live");
                }
            } finally {
                Files.deleteIfExists(cfg);
            }
        }
    }
}
