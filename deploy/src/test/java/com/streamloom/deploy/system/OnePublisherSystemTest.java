package com.streamloom.deploy.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.SyntheticPublisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same stream key published at two real edges at once by two FFmpeg publishers ends with exactly one live
 * publisher in the cluster: the other is refused, and the control API shows the stream on the winner's edge.
 */
class OnePublisherSystemTest {
    static final String ADMIN = "Pv6-Hs9kXw3Nq7Rt2Lb5Zm8Dc4Fj";
    static final String NODE = "Ky8-Bd4nTq6Wz2Mx9Hr5Vp3Lc7Gs";

    @TempDir
    Path dir;

    @Test
    void exactlyOneOfTwoEdgesKeepsThePublisher() throws Exception {
        int apiPort = Ports.free();
        String controlUrl = "http://127.0.0.1:" + apiPort;
        try (NodeProcess api = NodeProcess.start("control-api", NodeProcess.CONTROL_API_JAR,
                     NodeProcess.controlApiEnv(dir, ADMIN, NODE, apiPort), dir);
             NodeProcess edgeA = NodeProcess.start("edge-a", NodeProcess.EDGE_JAR,
                     NodeProcess.edgeEnv(dir, "edge-a", controlUrl, NODE), dir);
             NodeProcess edgeB = NodeProcess.start("edge-b", NodeProcess.EDGE_JAR,
                     NodeProcess.edgeEnv(dir, "edge-b", controlUrl, NODE), dir)) {
            ControlApiClient client = new ControlApiClient(controlUrl, ADMIN);
            await("control API ready: " + api.log()).atMost(Duration.ofSeconds(90)).until(client::ready);
            Map<String, JsonNode> nodes = new HashMap<>();
            await("both edges registered").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                nodes.clear();
                for (JsonNode n : client.get("/api/v1/nodes").ok()) {
                    if (n.get("up").asBoolean()) {
                        nodes.put(n.get("id").asText(), n);
                    }
                }
                return nodes.size() == 2;
            });
            JsonNode created = client.post("/api/v1/streams", """
                    {"name": "twice", "encoding": {"preset": "ultrafast", "bitrateKbps": 100, "audio": "none"},
                     "output": {"segmentSeconds": 1, "windowSegments": 6}}
                    """).ok();
            String id = created.get("id").asText();
            String key = created.get("streamKey").asText();

            // Both publishers start at once, each at its own edge, with the same key.
            try (SyntheticPublisher atA = publisher(nodes.get("edge-a"), key);
                 SyntheticPublisher atB = publisher(nodes.get("edge-b"), key)) {
                // The edges' own status: exactly one of them has a live publisher for the key.
                String winner;
                try {
                    winner = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                            .ignoreExceptions().until(() -> liveAt(nodes), w -> w != null);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("no single live publisher; A: " + atA.log() + " B: " + atB.log()
                            + "\nedge-a: " + edgeA.log() + "\nedge-b: " + edgeB.log(), e);
                }
                String loser = winner.equals("edge-a") ? "edge-b" : "edge-a";
                SyntheticPublisher kept = winner.equals("edge-a") ? atA : atB;
                JsonNode live;
                try {
                    live = await("the control API shows the stream on " + winner).atMost(Duration.ofSeconds(60))
                            .ignoreExceptions().until(() -> client.get("/api/v1/streams/" + id).ok(),
                                    s -> winner.equals(s.path("nodeId").asText())
                                            && !HlsProbe.fetchPlaylist(URI.create(s.get("playbackUrl").asText()))
                                            .segments().isEmpty());
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("not playing from " + winner + "; publisher: " + kept.log()
                            + "\nedge-a: " + edgeA.log() + "\nedge-b: " + edgeB.log(), e);
                }
                assertThat(live.get("playbackUrl").asText()).as("played from the winner's edge")
                        .startsWith(nodes.get(winner).get("httpUrl").asText());
                assertThat(edgeState(nodes.get(winner), "twice")).as("the winner's own status").isEqualTo("live");
                assertThat(edgeState(nodes.get(loser), "twice")).as("the other edge has no live publisher for it")
                        .isNotEqualTo("live");
                // Still one publisher a little later: the refused one did not take the stream over.
                Thread.sleep(3000);
                assertThat(kept.isRunning()).as("the winner keeps its publisher: " + kept.log()).isTrue();
                assertThat(liveAt(nodes)).as("still exactly one live publisher").isEqualTo(winner);
                assertThat(client.get("/api/v1/streams/" + id).ok().get("nodeId").asText()).isEqualTo(winner);
                assertThat(edgeA.isAlive() && edgeB.isAlive()).as("both edges still run").isTrue();
            }
        }
    }

    /** The one edge whose own status shows the stream live, or null while none or both do. */
    static String liveAt(Map<String, JsonNode> nodes) throws Exception {
        boolean a = "live".equals(edgeState(nodes.get("edge-a"), "twice"));
        boolean b = "live".equals(edgeState(nodes.get("edge-b"), "twice"));
        return a == b ? null : a ? "edge-a" : "edge-b";
    }

    static SyntheticPublisher publisher(JsonNode node, String key) {
        return SyntheticPublisher.builder().size(160, 120).fps(10).colour("blue").toneHz(0)
                .publishTo(node.get("rtmpUrl").asText() + "/live/" + key);
    }

    /** The stream's state as the edge itself reports it (GET /api/streams), or "absent". */
    static String edgeState(JsonNode node, String name) throws Exception {
        JsonNode list = ControlApiClient.JSON.readTree(
                HlsProbe.get(URI.create(node.get("httpUrl").asText() + "/api/streams")).body());
        for (JsonNode s : list) {
            if (s.get("name").asText().equals(name)) {
                return s.path("state").asText();
            }
        }
        return "absent";
    }
}
