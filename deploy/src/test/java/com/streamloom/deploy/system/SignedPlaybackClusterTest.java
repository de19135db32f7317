package com.streamloom.deploy.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.RtspCamera;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With real processes (the packaged control API and edge): a signed stream plays from its edge only with a token
 * from the control API, which the edge checks with the keys of its heartbeat answer; after a key rotation the old
 * token keeps playing and tokens of the new key play too.
 */
class SignedPlaybackClusterTest {
    static final String ADMIN = "Ua7Kp3Wz9Qm2Xr6Tc1Vb8Ny4Hd5Js0Lf";
    static final String NODE = "Eo2Rj8Gt4Yk6Pw1Zs9Cx3Mv7Bn5Qh0Ld";

    @TempDir
    Path dir;

    @Test
    void aSignedStreamPlaysFromItsEdgeWithItsTokenAcrossAKeyRotation() throws Exception {
        int apiPort = Ports.free();
        Map<String, String> apiEnv = NodeProcess.controlApiEnv(dir, ADMIN, NODE, apiPort);
        try (RtspCamera camera = RtspCamera.builder().size(320, 240).fps(25).start();
             NodeProcess api = NodeProcess.start("control-api", NodeProcess.CONTROL_API_JAR, apiEnv, dir);
             NodeProcess edge = NodeProcess.start("edge", NodeProcess.EDGE_JAR, Map.of(
                     "STREAMLOOM_CONTROL_URL", "http://127.0.0.1:" + apiPort,
                     "STREAMLOOM_NODE_TOKEN", NODE,
                     "STREAMLOOM_NODE_ID", "edge-signed",
                     "STREAMLOOM_ADVERTISE_HOST", "127.0.0.1",
                     "STREAMLOOM_BIND_HOST", "127.0.0.1",
                     "STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                     "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), dir)) {
            ControlApiClient client = new ControlApiClient("http://127.0.0.1:" + apiPort, ADMIN);
            await("control API ready: " + api.log()).atMost(Duration.ofSeconds(60)).until(client::ready);
            String id = client.post("/api/v1/streams", """
                    {"name": "vault", "source": {"type": "rtsp-pull", "url": "%s", "timeoutMs": 2000},
                     "encoding": {"bitrateKbps": 400},
                     "output": {"segmentSeconds": 1, "windowSegments": 6, "playback": "signed"}}
                    """.formatted(camera.url())).ok().get("id").asText();

            URI before = await("plays with its token: " + edge.log()).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(() -> {
                        URI url = URI.create(token(client, id).get("playbackUrl").asText());
                        return HlsProbe.fetchPlaylist(url).segments().isEmpty() ? null : url;
                    }, url -> url != null && url.getPath().startsWith("/hls/vault/"));
            HlsProbe.Playlist playlist = HlsProbe.fetchPlaylist(before);
            assertThat(HlsProbe.decode(HlsProbe.download(playlist.last().uri())).pictures()).isNotEmpty();
            URI bare = URI.create(before.toString().replaceAll("\\?.*", ""));
            assertThat(HlsProbe.get(bare).statusCode()).isEqualTo(403);
            assertThat(HlsProbe.get(URI.create(playlist.last().uri().toString().replaceAll("\\?.*", "")))
                    .statusCode()).isEqualTo(403);

            assertThat(client.post("/api/v1/playback-keys/rotate", "").status()).isEqualTo(200);
            // once the new key signs (5 s after the rotation), its tokens play: the edge got it with a heartbeat
            await("a new key's token plays").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> HlsProbe.get(URI.create(token(client, id)
                            .get("playbackUrl").asText())).statusCode() == 200);
            assertThat(HlsProbe.get(before).statusCode()).as("the previous key's token in its grace period")
                    .isEqualTo(200);

            // rotating twice in a row drops the first key: its token stops playing within a heartbeat or two
            client.post("/api/v1/playback-keys/rotate", "").ok();
            client.post("/api/v1/playback-keys/rotate", "").ok();
            await("the dropped key's token is refused").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(500)).until(() -> HlsProbe.get(before).statusCode() == 403);
            String used = before.getQuery().substring("token=".length());
            assertThat(edge.log()).doesNotContain(used);
            assertThat(api.log()).doesNotContain(used);
        }
    }

    static JsonNode token(ControlApiClient client, String id) throws Exception {
        return client.post("/api/v1/streams/" + id + "/playback-tokens", Map.of("ttlSeconds", 300)).ok();
    }
}
