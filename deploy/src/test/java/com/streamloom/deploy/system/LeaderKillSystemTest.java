package com.streamloom.deploy.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.RtspCamera;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Killing the leading control API (SIGKILL) while 10 streams run: the other replica leads within the lease time, and
 * every stream stays listed, placed on exactly one node, running on exactly one edge, with its playlist advancing.
 * Real processes: two packaged control-API replicas on PostgreSQL behind one control URL, two packaged edges.
 */
class LeaderKillSystemTest {
    static final String ADMIN = "Wq7-Lm3vRx9Tp5Kz2Hb8Nc4Fd6Gy";
    static final String NODE = "Jd5-Zr2pYw8Qk4Lt7Vm3Bx9Cs6Hn";
    static final int STREAMS = 10;
    /** The replicas' lease (streamloom.leader.lease-duration, 5 s) plus ticks, with room for a loaded machine. */
    static final Duration TAKEOVER_BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void theOtherReplicaLeadsAndNoStreamIsLostOrPlacedTwice() throws Exception {
        try (RtspCamera camera = RtspCamera.builder().size(160, 120).fps(10).start();
             ReplicatedControlApi cluster = ReplicatedControlApi.start(2, dir, ADMIN, NODE);
             NodeProcess edgeA = edge("edge-a", cluster);
             NodeProcess edgeB = edge("edge-b", cluster)) {
            ControlApiClient api = new ControlApiClient(cluster.controlUrl(), ADMIN);
            await("both edges registered").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                int up = 0;
                for (JsonNode n : api.get("/api/v1/nodes").ok()) {
                    up += n.get("up").asBoolean() ? 1 : 0;
                }
                return up == 2;
            });
            Map<String, String> names = new HashMap<>();
            for (int i = 0; i < STREAMS; i++) {
                // The cheapest stream there is: a tiny picture at a low rate, the fastest preset, no audio.
                JsonNode created = api.post("/api/v1/streams", """
                        {"name": "cam-%d", "source": {"type": "rtsp-pull", "url": "%s", "timeoutMs": 3000},
                         "encoding": {"preset": "ultrafast", "bitrateKbps": 100, "audio": "none"},
                         "output": {"segmentSeconds": 1, "windowSegments": 6}}
                        """.formatted(i, camera.url())).ok();
                names.put(created.get("id").asText(), "cam-" + i);
            }
            Map<String, String> nodeBefore = new HashMap<>();
            Map<String, Long> sequenceBefore = new HashMap<>();
            try {
                // Ten pipelines start at once on a loaded machine: a generous bound for all of them.
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .untilAsserted(() -> {
                            for (String id : names.keySet()) {
                                assertThat(playlist(api, id).segments()).as(names.get(id)).isNotEmpty();
                            }
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("not every stream plays: " + api.get("/api/v1/streams").body()
                        + "\nedge-a: " + edgeA.log() + "\nedge-b: " + edgeB.log(), e);
            }
            for (String id : names.keySet()) {
                nodeBefore.put(id, api.get("/api/v1/streams/" + id).ok().get("nodeId").asText());
            }

            int leader = await("one replica leads").atMost(Duration.ofSeconds(30)).until(cluster::leader, i -> i >= 0);
            int other = 1 - leader;
            for (String id : names.keySet()) {
                sequenceBefore.put(id, playlist(cluster.client(other), id).last().sequence());
            }
            long killedAt = System.nanoTime();
            cluster.replica(leader).kill();
            await("replica " + other + " leads after the leader's kill: " + cluster.replica(other).log())
                    .atMost(TAKEOVER_BOUND.plusSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.leads(other));
            Duration takeover = NodeProcess.since(killedAt);
            System.out.printf("leader killed; the other replica leads after %d ms%n", takeover.toMillis());
            assertThat(takeover).as("the other replica leads within the lease time").isLessThan(TAKEOVER_BOUND);

            ControlApiClient survivor = new ControlApiClient(cluster.controlUrl(), ADMIN);
            // Several of the survivor's ticks as leader: a stream lost or placed twice would show by now.
            await("every playlist advances after the takeover").atMost(Duration.ofSeconds(40)).ignoreExceptions()
                    .untilAsserted(() -> {
                        for (String id : names.keySet()) {
                            assertThat(playlist(survivor, id).last().sequence()).as(names.get(id))
                                    .isGreaterThan(sequenceBefore.get(id) + 2);
                        }
                    });
            JsonNode listed = survivor.get("/api/v1/streams").ok();
            List<String> listedIds = new ArrayList<>();
            listed.forEach(s -> listedIds.add(s.get("id").asText()));
            assertThat(listedIds).as("every stream is still listed, once").containsExactlyInAnyOrderElementsOf(names.keySet());
            List<JsonNode> edgeA_streams = edgeStreams(edgeA, "edge-a", survivor);
            List<JsonNode> edgeB_streams = edgeStreams(edgeB, "edge-b", survivor);
            for (JsonNode s : listed) {
                String id = s.get("id").asText();
                String node = s.get("nodeId").asText();
                long running = runningOn(edgeA_streams, id, names.get(id)) + runningOn(edgeB_streams, id, names.get(id));
                assertThat(running).as(names.get(id) + " runs on exactly one edge").isEqualTo(1);
                assertThat(runningOn(node.contains("edge-a") ? edgeA_streams : edgeB_streams, id, names.get(id)))
                        .as(names.get(id) + " runs on the edge it is placed on (" + node + ")").isEqualTo(1);
                assertThat(node).as(names.get(id) + " was not moved: its edge kept running")
                        .isEqualTo(nodeBefore.get(id));
            }
        }
    }

    NodeProcess edge(String name, ReplicatedControlApi cluster) throws Exception {
        Map<String, String> env = new HashMap<>(NodeProcess.edgeEnv(dir, name, cluster.controlUrl(), NODE));
        // Placement prices a pull of unknown size as a large picture; these 160x120 pulls cost far less, and the
        // default (cores x 40 M) would leave most of the ten unplaced on this small machine.
        env.put("STREAMLOOM_CAPACITY", String.valueOf(2_000_000_000L));
        return NodeProcess.start(name, NodeProcess.EDGE_JAR, env, dir);
    }

    static HlsProbe.Playlist playlist(ControlApiClient api, String id) throws Exception {
        return HlsProbe.fetchPlaylist(URI.create(api.get("/api/v1/streams/" + id).ok().get("playbackUrl").asText()));
    }

    /** What the edge itself says it runs (its public GET /api/streams), found by the node's advertised HTTP URL. */
    static List<JsonNode> edgeStreams(NodeProcess edge, String nodeName, ControlApiClient api) throws Exception {
        assertThat(edge.isAlive()).as(nodeName + " alive: " + edge.log()).isTrue();
        String base = null;
        for (JsonNode n : api.get("/api/v1/nodes").ok()) {
            if (n.get("id").asText().equals(nodeName)) {
                base = n.get("httpUrl").asText();
            }
        }
        assertThat(base).as(nodeName + " listed with its HTTP URL").isNotNull();
        JsonNode list = ControlApiClient.JSON.readTree(HlsProbe.get(URI.create(base + "/api/streams")).body());
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return out;
    }

    static long runningOn(List<JsonNode> edgeStreams, String id, String name) {
        return edgeStreams.stream()
                .filter(s -> s.get("name").asText().equals(id) || s.get("name").asText().equals(name))
                .filter(s -> !"failed".equals(s.path("state").asText()))
                .count();
    }
}
