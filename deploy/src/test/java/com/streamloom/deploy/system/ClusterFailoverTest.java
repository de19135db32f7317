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
 * Failover with real processes: the packaged control API, two packaged edges and a real RTSP camera
 * (GStreamer's RTSP server). A pull stream is created through the API and plays; the edge running it is killed
 * (SIGKILL); the stream plays again from the other edge within 10 s, and the HLS media sequence keeps increasing.
 */
class ClusterFailoverTest {
    static final String ADMIN = "Rm4-Xq8wZt2Lp6Vk9Nb3Hc7Jd5Fy";
    /** The cluster's join token: the edges enrol with it for credentials of their own. */
    static final String NODE = "Gh3-Tw7pKx2Qm9Lz5Vr8Bn4Cd6Sy";

    @TempDir
    Path dir;

    @Test
    void aPullStreamMovesToTheOtherEdgeWhenItsEdgeDies() throws Exception {
        int apiPort = Ports.free();
        Map<String, String> apiEnv = NodeProcess.controlApiEnv(dir, ADMIN, NODE, apiPort);
        try (RtspCamera camera = RtspCamera.builder().size(320, 240).fps(25).start();
             NodeProcess api = NodeProcess.start("control-api", NodeProcess.CONTROL_API_JAR, apiEnv, dir);
             NodeProcess edgeA = edge("edge-a", apiPort);
             NodeProcess edgeB = edge("edge-b", apiPort)) {
            ControlApiClient client = new ControlApiClient("http://127.0.0.1:" + apiPort, ADMIN);
            await("control API ready: " + api.log()).atMost(Duration.ofSeconds(60)).until(client::ready);
            await("both edges registered").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                JsonNode nodes = client.get("/api/v1/nodes").ok();
                int up = 0;
                for (JsonNode n : nodes) {
                    up += n.get("up").asBoolean() ? 1 : 0;
                }
                return up == 2;
            });
            // Each edge enrolled with the join token and keeps a credential of its own, for its owner's eyes only.
            String credentialA = credential("edge-a");
            assertThat(credentialA).startsWith("sln1_").isNotEqualTo(credential("edge-b"));
            assertThat(client.get("/api/v1/nodes").ok().toString()).doesNotContain(credentialA).doesNotContain(NODE);
            // Someone enrols as edge-b with the join token, replacing its credential: edge-b's next heartbeat gets
            // 401, and it enrols again on its own and keeps the new credential in its file.
            String credentialB = credential("edge-b");
            String takenOver = new ControlApiClient("http://127.0.0.1:" + apiPort, NODE)
                    .post("/api/v1/nodes/edge-b/enrol", "").ok().get("credential").asText();
            await("edge-b enrols again").atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
                String now = credential("edge-b");
                return !now.equals(credentialB) && !now.equals(takenOver);
            });

            JsonNode created = client.post("/api/v1/streams", """
                    {"name": "lobby", "source": {"type": "rtsp-pull", "url": "%s", "timeoutMs": 2000},
                     "encoding": {"bitrateKbps": 400}, "output": {"segmentSeconds": 1, "windowSegments": 6}}
                    """.formatted(camera.url())).ok();
            String id = created.get("id").asText();

            JsonNode live = awaitPlaying(client, id, null);
            String firstNode = live.get("nodeId").asText();
            HlsProbe.Playlist before = HlsProbe.fetchPlaylist(URI.create(live.get("playbackUrl").asText()));
            long lastSequenceBefore = before.last().sequence();

            NodeProcess victim = firstNode.contains("edge-a") ? edgeA : edgeB;
            long killedAt = System.nanoTime();
            victim.kill();

            JsonNode moved = awaitPlaying(client, id, firstNode);
            Duration recovery = NodeProcess.since(killedAt);
            HlsProbe.Playlist after = HlsProbe.fetchPlaylist(URI.create(moved.get("playbackUrl").asText()));
            System.out.printf("failover: %s -> %s, playing again after %d ms%n", firstNode,
                    moved.get("nodeId").asText(), recovery.toMillis());
            assertThat(recovery).as("plays again from the other edge within 10 s of the kill").isLessThan(Duration.ofSeconds(10));
            assertThat(after.mediaSequence()).as("HLS media sequence keeps increasing across the move")
                    .isGreaterThan(lastSequenceBefore);
            assertThat(HlsProbe.decode(HlsProbe.download(after.last().uri())).pictures()).isNotEmpty();
        }
    }

    /** The credential the edge keeps in its file, which only its owner may read. */
    String credential(String name) throws java.io.IOException {
        Path file = dir.resolve(name + ".credential");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        return java.nio.file.Files.readString(file).trim();
    }

    NodeProcess edge(String name, int apiPort) throws Exception {
        return NodeProcess.start(name, NodeProcess.EDGE_JAR,
                NodeProcess.edgeEnv(dir, name, "http://127.0.0.1:" + apiPort, NODE), dir);
    }

    /** Waits until the stream is live on a node other than {@code notOn} and its playlist lists segments. */
    static JsonNode awaitPlaying(ControlApiClient client, String id, String notOn) {
        return await().atMost(Duration.ofSeconds(notOn == null ? 40 : 15)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    JsonNode s = client.get("/api/v1/streams/" + id).ok();
                    if (s.get("nodeId") == null || s.get("nodeId").isNull() || s.get("nodeId").asText().equals(notOn)) {
                        return null;
                    }
                    HlsProbe.Playlist p = HlsProbe.fetchPlaylist(URI.create(s.get("playbackUrl").asText()));
                    return p.segments().isEmpty() ? null : s;
                }, s -> s != null);
    }
}
