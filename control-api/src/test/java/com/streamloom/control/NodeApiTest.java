package com.streamloom.control;

import com.streamloom.control.cluster.ForwardTokens;
import com.streamloom.control.cluster.NodeRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.node;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The node protocol through the REST API: heartbeats answered with assignments, pending until capacity appears,
 * failover of pull streams, compositions and push streams, and re-routing of a composition's inputs.
 */
@QuarkusTest
class NodeApiTest {
    /** A 720p30 stream without stages costs 1280 x 720 x 30 = 27,648,000 units; this node has room for none. */
    static final double TOO_SMALL = 1e6;
    static final double ROOMY = 1e12;

    @Inject
    MutableClock clock;
    @Inject
    NodeRegistry registry;
    @Inject
    ForwardTokens forwardTokens;

    @Test
    void pendingStreamIsPlacedWhenCapacityAppears() {
        TestCluster.expireAllNodes(clock, registry);
        String id = admin().body(Api.pullStream(unique("wait"))).post("/api/v1/streams").then().statusCode(201)
                .body("state", equalTo("pending")).body("pendingReason", equalTo("no edge node is up"))
                .extract().path("id");

        String small = unique("small");
        beat(small, "EDGE", 19_001, TOO_SMALL);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> admin().get("/api/v1/streams/" + id).then()
                .body("state", equalTo("pending")).body("pendingReason", containsString("has room")));

        String big = unique("big");
        beat(big, "EDGE", 19_002, ROOMY);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                big.equals(admin().get("/api/v1/streams/" + id).path("nodeId")));
        admin().get("/api/v1/streams/" + id).then().body("state", equalTo("assigned"))
                .body("playbackUrl", equalTo("http://127.0.0.1:19002/hls/" + admin().get("/api/v1/streams/" + id)
                        .path("name") + "/index.m3u8"));
        assertThat(beat(big, "EDGE", 19_002, ROOMY).getList("streams.id", String.class)).contains(id);
        assertThat(beat(small, "EDGE", 19_001, TOO_SMALL).getList("streams.id", String.class)).doesNotContain(id);
    }

    @Test
    void burstOfStreamsSpreadsOverNodes() {
        TestCluster.reset(clock, registry);
        // Each node has room for exactly three streams: a burst of six must use both.
        double capacity = 3 * 27_648_000.0;
        String a = unique("a");
        String b = unique("b");
        beat(a, "EDGE", 19_011, capacity);
        beat(b, "EDGE", 19_012, capacity);
        for (int i = 0; i < 6; i++) {
            admin().body(Api.pullStream(unique("burst"))).post("/api/v1/streams").then().statusCode(201)
                    .body("state", equalTo("assigned"));
        }
        admin().body(Api.pullStream(unique("burst"))).post("/api/v1/streams").then().statusCode(201)
                .body("state", equalTo("pending"));
        assertThat(beat(a, "EDGE", 19_011, capacity).getList("streams")).hasSize(3);
        assertThat(beat(b, "EDGE", 19_012, capacity).getList("streams")).hasSize(3);
    }

    @Test
    void deadNodesPullStreamRunsElsewhereWithinTenSeconds() {
        TestCluster.expireAllNodes(clock, registry);
        String a = unique("a");
        String b = unique("b");
        beat(a, "EDGE", 19_021, ROOMY);
        beat(b, "EDGE", 19_022, ROOMY);
        String id = admin().body(Api.pullStream(unique("fo"))).post("/api/v1/streams").then().statusCode(201)
                .extract().path("id");
        String first = admin().get("/api/v1/streams/" + id).path("nodeId");
        String survivor = first.equals(a) ? b : a;
        int survivorPort = survivor.equals(a) ? 19_021 : 19_022;

        // The first node stops heartbeating; the survivor goes on every 2 s of test time.
        long died = clock.millis();
        String now = first;
        while (now.equals(first) && clock.millis() - died < 12_000) {
            clock.advance(Duration.ofSeconds(1));
            beat(survivor, "EDGE", survivorPort, ROOMY);
            long deadline = System.currentTimeMillis() + 600;
            while (now.equals(first) && System.currentTimeMillis() < deadline) {
                String n = admin().get("/api/v1/streams/" + id).path("nodeId");
                now = n == null ? first : n;
            }
        }
        assertThat(now).isEqualTo(survivor);
        assertThat(clock.millis() - died).isLessThanOrEqualTo(10_000);
        admin().get("/api/v1/nodes/" + first).then().body("up", equalTo(false));
        assertThat(beat(survivor, "EDGE", survivorPort, ROOMY).getList("streams.id", String.class)).contains(id);
    }

    @Test
    void withoutRebalancingNothingMovesWhenANodeJoins() {
        TestCluster.reset(clock, registry);
        OverloadedEdge loaded = OverloadedEdge.create(19_111);
        String joined = unique("joined");
        beat(joined, "EDGE", 19_112, ROOMY);
        // The tick that handles the join places the pending stream on the new edge: the join was seen. Rebalancing
        // is off by default (optional), so the full edge keeps all it runs.
        await().atMost(Duration.ofSeconds(5)).until(() -> joined.equals(OverloadedEdge.nodeOf(loaded.pending())));
        List<String> all = new java.util.ArrayList<>(loaded.pulls());
        all.addAll(loaded.pushes());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            for (String id : all) {
                assertThat(OverloadedEdge.nodeOf(id)).isEqualTo(loaded.nodeId());
            }
        });
        assertThat(loaded.desired()).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void pushStreamGoesOfflineAndTheEdgeThatGetsThePublishTakesIt() {
        TestCluster.expireAllNodes(clock, registry);
        String a = unique("a");
        beat(a, "EDGE", 19_031, ROOMY);
        JsonPath created = admin().body(Api.pushStream(unique("push"))).post("/api/v1/streams").then()
                .statusCode(201).body("nodeId", equalTo(a)).body("ingestUrl", equalTo("rtmp://127.0.0.1:20031/live"))
                .extract().jsonPath();
        String id = created.getString("id");

        clock.advance(Duration.ofSeconds(7));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> admin().get("/api/v1/streams/" + id).then()
                .body("state", equalTo("offline")).body("pendingReason", containsString("publisher")));

        String b = unique("b");
        beat(b, "EDGE", 19_032, ROOMY);
        node(b).body(Map.of("app", "live", "streamKey", created.getString("streamKey")))
                .post("/api/v1/nodes/" + b + "/publish-check").then().statusCode(200)
                .body("allowed", equalTo(true)).body("spec.name", equalTo(created.getString("name")));
        admin().get("/api/v1/streams/" + id).then().body("nodeId", equalTo(b)).body("state", equalTo("assigned"));
        assertThat(beat(b, "EDGE", 19_032, ROOMY).getList("streams.id", String.class)).contains(id);
    }

    @Test
    void compositionInputsForwardToItsCompositorAndFollowItWhenItMoves() {
        TestCluster.expireAllNodes(clock, registry);
        String edge = unique("edge");
        String c1 = unique("comp1");
        String c2 = unique("comp2");
        beat(edge, "EDGE", 19_041, ROOMY);
        beat(c1, "COMPOSITOR", 19_042, ROOMY);
        String s1 = unique("in1");
        String s2 = unique("in2");
        admin().body(Api.pullStream(s1)).post("/api/v1/streams").then().statusCode(201);
        admin().body(Api.pullStream(s2)).post("/api/v1/streams").then().statusCode(201);
        String compName = unique("studio");
        String comp = admin().body(Map.of("name", compName, "inputs", List.of(Map.of("stream", s1), Map.of("stream", s2)),
                        "layout", Map.of("type", "side-by-side")))
                .post("/api/v1/compositions").then().statusCode(201).body("nodeId", equalTo(c1))
                .body("playbackUrl", equalTo("http://127.0.0.1:19042/hls/" + compName + "/index.m3u8"))
                .extract().path("id");

        assertThat(beat(c1, "COMPOSITOR", 19_042, ROOMY).getList("compositions.id", String.class)).contains(comp);
        JsonPath edgeState = beat(edge, "EDGE", 19_041, ROOMY);
        String toS1 = "rtmp://127.0.0.1:20042/live/" + s1 + "?token=" + forwardTokens.token(comp, s1);
        assertThat(forwardUrls(edgeState, s1)).containsExactly(toS1);
        // People see where the stream goes, never the token only the edge's desired state carries.
        String shown = admin().get("/api/v1/streams").then().statusCode(200).extract().asString();
        assertThat(shown).contains("rtmp://127.0.0.1:20042/live/" + s1).doesNotContain(forwardTokens.token(comp, s1))
                .doesNotContain("token=");

        // The compositor dies; a second one joins; the edge keeps heartbeating.
        clock.advance(Duration.ofSeconds(4));
        beat(edge, "EDGE", 19_041, ROOMY);
        beat(c2, "COMPOSITOR", 19_043, ROOMY);
        clock.advance(Duration.ofSeconds(3));
        beat(edge, "EDGE", 19_041, ROOMY);
        beat(c2, "COMPOSITOR", 19_043, ROOMY);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                c2.equals(admin().get("/api/v1/compositions/" + comp).path("nodeId")));
        JsonPath rerouted = beat(edge, "EDGE", 19_041, ROOMY);
        assertThat(rerouted.getLong("version")).isGreaterThan(edgeState.getLong("version"));
        assertThat(forwardUrls(rerouted, s2)).containsExactly("rtmp://127.0.0.1:20043/live/" + s2 + "?token="
                + forwardTokens.token(comp, s2));

        admin().delete("/api/v1/streams/" + admin().get("/api/v1/streams").jsonPath()
                .getString("find { it.name == '" + s1 + "' }.id")).then().statusCode(409);
        admin().body(Map.of("name", compName, "inputs", List.of(Map.of("stream", s2)))).put("/api/v1/compositions/" + comp)
                .then().statusCode(200).body("spec.inputs.size()", equalTo(1));
        admin().delete("/api/v1/compositions/" + comp).then().statusCode(204);
        assertThat(beat(c2, "COMPOSITOR", 19_043, ROOMY).getList("compositions.id", String.class)).doesNotContain(comp);
    }

    @Test
    void anInputOfTwoCompositionsOnTwoCompositorsIsForwardedToBothAndKeepsTheOtherWhenOneIsDeleted() {
        TestCluster.reset(clock, registry);
        // Room for one single-input 720p30 composition each (41,472,000 units), so the two use both compositors.
        double roomForOne = 60e6;
        String edge = unique("edge");
        String c1 = unique("comp1");
        String c2 = unique("comp2");
        beat(edge, "EDGE", 19_051, ROOMY);
        beat(c1, "COMPOSITOR", 19_052, roomForOne);
        beat(c2, "COMPOSITOR", 19_053, roomForOne);
        String cam = unique("cam");
        // the user's own target (a recorder, say) stays first, whatever the compositions do
        String own = "rtmp://recorder.example:1935/live/" + cam;
        admin().body(Map.of("name", cam, "source", Map.of("type", "rtsp-pull", "url", "rtsp://127.0.0.1:8554/" + cam),
                "output", Map.of("forwardUrl", own))).post("/api/v1/streams").then().statusCode(201);
        String first = admin().body(Map.of("name", unique("wall"), "inputs", List.of(Map.of("stream", cam))))
                .post("/api/v1/compositions").then().statusCode(201).extract().path("id");
        String second = admin().body(Map.of("name", unique("pip"), "inputs", List.of(Map.of("stream", cam))))
                .post("/api/v1/compositions").then().statusCode(201).extract().path("id");
        String firstNode = admin().get("/api/v1/compositions/" + first).path("nodeId");
        String secondNode = admin().get("/api/v1/compositions/" + second).path("nodeId");
        assertThat(List.of(firstNode, secondNode)).containsExactlyInAnyOrder(c1, c2);
        // each compositor's target carries the token of the composition there
        String toC1 = "rtmp://127.0.0.1:20052/live/" + cam + "?token="
                + forwardTokens.token(firstNode.equals(c1) ? first : second, cam);
        String toC2 = "rtmp://127.0.0.1:20053/live/" + cam + "?token="
                + forwardTokens.token(firstNode.equals(c2) ? first : second, cam);

        JsonPath both = beat(edge, "EDGE", 19_051, ROOMY);
        assertThat(forwardUrls(both, cam)).containsExactly(own, toC1, toC2);
        assertThat(beat(edge, "EDGE", 19_051, ROOMY).getLong("version")).as("nothing changed, same version")
                .isEqualTo(both.getLong("version"));

        admin().delete("/api/v1/compositions/" + first).then().statusCode(204);
        JsonPath one = beat(edge, "EDGE", 19_051, ROOMY);
        assertThat(forwardUrls(one, cam)).containsExactly(own, secondNode.equals(c1) ? toC1 : toC2);
        assertThat(one.getLong("version")).isGreaterThan(both.getLong("version"));

        admin().delete("/api/v1/compositions/" + second).then().statusCode(204);
        assertThat(forwardUrls(beat(edge, "EDGE", 19_051, ROOMY), cam)).containsExactly(own);
    }

    @Test
    void aStreamGoesToAtMostEightPlacesAndOneMoreIsAClearConflict() {
        String cam = unique("busy");
        List<String> own = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            own.add("rtmp://recorder" + i + ".example:1935/live/" + cam);
        }
        admin().body(Map.of("name", cam, "source", Map.of("type", "rtsp-pull", "url", "rtsp://127.0.0.1:8554/" + cam),
                "output", Map.of("forwardUrls", own))).post("/api/v1/streams").then().statusCode(201);
        String streamId = admin().get("/api/v1/streams").then().extract().jsonPath()
                .getString("find { it.name == '" + cam + "' }.id");
        Map<String, Object> wall = Map.of("name", unique("wall"), "inputs", List.of(Map.of("stream", cam)));
        String wallId = admin().body(wall).post("/api/v1/compositions").then().statusCode(201).extract().path("id");
        admin().body(Map.of("name", unique("pip"), "inputs", List.of(Map.of("stream", cam))))
                .post("/api/v1/compositions").then().statusCode(201);
        // 6 own targets + 2 compositions = 8: a third composition would need a ninth
        admin().body(Map.of("name", unique("third"), "inputs", List.of(Map.of("stream", cam))))
                .post("/api/v1/compositions").then().statusCode(409)
                .body("error", containsString("stream " + cam + " (inputs[0]) already goes to 8 places"));
        // updating a composition that already takes it does not count it twice
        admin().body(wall).put("/api/v1/compositions/" + wallId).then().statusCode(200);
        // and the stream cannot add a target of its own either
        List<String> seven = new java.util.ArrayList<>(own);
        seven.add("rtmp://recorder6.example:1935/live/" + cam);
        admin().body(Map.of("name", cam, "source", Map.of("type", "rtsp-pull", "url", "rtsp://127.0.0.1:8554/" + cam),
                        "output", Map.of("forwardUrls", seven))).put("/api/v1/streams/" + streamId)
                .then().statusCode(409).body("error", containsString("at most 6 forward targets of its own"));
    }

    private static List<String> forwardUrls(JsonPath desired, String streamName) {
        return desired.getList("streams.find { it.spec.name == '" + streamName + "' }.spec.output.forwardUrls",
                String.class);
    }

    @Test
    void anEdgeWithTlsAdvertisesRtmpsAndHttpsAndPublishersAndPlayersAreGivenThose() {
        TestCluster.expireAllNodes(clock, registry);
        String edge = unique("tls");
        node(edge).body(Map.of("nodeId", edge, "role", "EDGE", "rtmpUrl", "rtmps://edge.example.org:1935",
                        "httpUrl", "https://edge.example.org:8081", "capacity", ROOMY,
                        "load", Map.of("cpu", 0.0, "memoryBytes", 1000, "pipelines", List.of())))
                .post("/api/v1/nodes/" + edge + "/heartbeat").then().statusCode(200);
        String name = unique("push");
        admin().body(Api.pushStream(name)).post("/api/v1/streams").then().statusCode(201)
                .body("nodeId", equalTo(edge)).body("ingestUrl", equalTo("rtmps://edge.example.org:1935/live"))
                .body("playbackUrl", equalTo("https://edge.example.org:8081/hls/" + name + "/index.m3u8"));
        node(edge).body(Map.of("nodeId", edge, "role", "EDGE", "rtmpUrl", "ftp://edge.example.org:1935",
                        "httpUrl", "https://edge.example.org:8081", "capacity", ROOMY))
                .post("/api/v1/nodes/" + edge + "/heartbeat").then().statusCode(400);
    }

    @Test
    void nodeListShowsRoleLoadAndAssignments() {
        String n = unique("listed");
        node(n).body(Map.of("nodeId", n, "role", "EDGE", "rtmpUrl", "rtmp://127.0.0.1:1935",
                        "httpUrl", "http://127.0.0.1:8081", "capacity", ROOMY,
                        "load", Map.of("cpu", 0.25, "memoryBytes", 123_456, "pipelines",
                                List.of(Map.of("id", "x", "kind", "stream", "state", "live", "fps", 30.0,
                                        "latencyP99Ms", 12.5, "drops", 0)))))
                .post("/api/v1/nodes/" + n + "/heartbeat").then().statusCode(200);
        JsonPath nodes = admin().get("/api/v1/nodes").then().statusCode(200).extract().jsonPath();
        assertThat(nodes.getString("find { it.id == '" + n + "' }.role")).isEqualTo("EDGE");
        assertThat(nodes.getDouble("find { it.id == '" + n + "' }.cpu")).isEqualTo(0.25);
        assertThat(nodes.getBoolean("find { it.id == '" + n + "' }.up")).isTrue();
        assertThat(nodes.getDouble("find { it.id == '" + n + "' }.pipelines[0].latencyP99Ms")).isEqualTo(12.5);
        admin().get("/q/metrics").then().body(containsString("streamloom_heartbeat_seconds_count"));
    }
}
