package com.streamloom.control;

import com.streamloom.control.cluster.ForwardTokens;
import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.persistence.StreamEntity;
import com.streamloom.control.persistence.StreamRepository;
import com.streamloom.control.service.StreamKeys;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.node;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

/** Streams, their keys, live spec updates and captions. */
@QuarkusTest
class StreamApiTest {
    @Inject
    ForwardTokens forwardTokens;
    @Inject
    MutableClock clock;
    @Inject
    NodeRegistry registry;
    @Inject
    StreamRepository repository;

    private LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.install();
    }

    @AfterEach
    void stopCapturing() {
        logs.uninstall();
    }

    @Test
    void pushStreamKeyIsShownOnceAndNeverAgain() throws java.io.IOException {
        String edge = unique("edge");
        beat(edge, "EDGE", 18_081, 1e12);
        String name = unique("cam");
        JsonPath created = admin().body(Api.pushStream(name)).post("/api/v1/streams").then().statusCode(201)
                .body("streamKey", matchesPattern("[A-Za-z0-9_-]{32}"))
                .body("ingestUrl", matchesPattern("rtmp://.+/live"))
                .body("playbackUrl", matchesPattern("http://.+/hls/" + name + "/index.m3u8"))
                .body("spec.source.type", equalTo("rtmp-push"))
                .extract().jsonPath();
        String id = created.getString("id");
        String key = created.getString("streamKey");

        admin().get("/api/v1/streams/" + id).then().statusCode(200).body("streamKey", nullValue())
                .body("name", equalTo(name));
        assertThat(admin().get("/api/v1/streams/" + id).asString()).doesNotContain(key);
        assertThat(admin().get("/api/v1/streams").asString()).contains(id).doesNotContain(key);
        assertThat(admin().get("/api/v1/nodes").asString()).doesNotContain(key);
        assertThat(node(edge).body(Api.heartbeat(edge, "EDGE", 18_081, 1e12)).post("/api/v1/nodes/" + edge + "/heartbeat")
                .asString()).doesNotContain(key);
        node(edge).body(Map.of("app", "live", "streamKey", key)).post("/api/v1/nodes/" + edge + "/publish-check")
                .then().statusCode(200).body("allowed", equalTo(true)).body("streamId", equalTo(id));

        StreamEntity stored = QuarkusTransaction.requiringNew().call(() -> repository.findById(id));
        assertThat(stored.keyHash).isEqualTo(StreamKeys.hash(key)).isNotEqualTo(key);
        assertThat(stored.specJson).doesNotContain(key);
        // The application's own log (the test profile also writes it to a file, through the same handlers that would
        // write a leaked key): it must hold this run's lines, so the check can fail, and never the key. (Log lines
        // from the test class itself go to another log context once Quarkus restarted for another profile.)
        assertThat(logs.messages()).noneMatch(m -> m.contains(key));
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("target", "quarkus-test.log")))
                .contains("Profile test activated").doesNotContain(key);
    }

    @Test
    void rotatedKeyReplacesTheOldOne() {
        String edge = unique("edge");
        beat(edge, "EDGE", 18_082, 1e12);
        JsonPath created = admin().body(Api.pushStream(unique("rot"))).post("/api/v1/streams").then().statusCode(201)
                .extract().jsonPath();
        String id = created.getString("id");
        String oldKey = created.getString("streamKey");
        String newKey = admin().post("/api/v1/streams/" + id + "/rotate-key").then().statusCode(200)
                .body("streamKey", matchesPattern("[A-Za-z0-9_-]{32}")).extract().path("streamKey");
        assertThat(newKey).isNotEqualTo(oldKey);

        node(edge).body(Map.of("app", "live", "streamKey", oldKey)).post("/api/v1/nodes/" + edge + "/publish-check")
                .then().statusCode(200).body("allowed", equalTo(false)).body("reason", equalTo("unknown stream key"));
        node(edge).body(Map.of("app", "live", "streamKey", newKey)).post("/api/v1/nodes/" + edge + "/publish-check")
                .then().statusCode(200).body("allowed", equalTo(true)).body("streamId", equalTo(id));
        assertThat(logs.messages()).noneMatch(m -> m.contains(oldKey) || m.contains(newKey));

        // The edge learns the current key's hash with the stream, so it can end a publication that used the old key;
        // a further rotation changes its desired state.
        String path = "streams.find { it.id == '" + id + "' }.keySha256";
        assertThat(beat(edge, "EDGE", 18_082, 1e12).getString(path)).isEqualTo(StreamKeys.hash(newKey));
        String third = admin().post("/api/v1/streams/" + id + "/rotate-key").then().statusCode(200).extract()
                .path("streamKey");
        assertThat(beat(edge, "EDGE", 18_082, 1e12).getString(path)).isEqualTo(StreamKeys.hash(third));

        String pull = admin().body(Api.pullStream(unique("pull"))).post("/api/v1/streams").then().statusCode(201)
                .body("streamKey", nullValue()).body("ingestUrl", nullValue()).extract().path("id");
        admin().post("/api/v1/streams/" + pull + "/rotate-key").then().statusCode(409);
    }

    @Test
    void unknownKeyIsRefused() {
        String edge = unique("edge");
        beat(edge, "EDGE", 18_083, 1e12);
        node(edge).body(Map.of("app", "live", "streamKey", "guessed-key")).post("/api/v1/nodes/" + edge + "/publish-check")
                .then().statusCode(200).body("allowed", equalTo(false));
        node("never-seen").body(Map.of("app", "live", "streamKey", "x")).post("/api/v1/nodes/never-seen/publish-check")
                .then().statusCode(200).body("allowed", equalTo(false));
        node(edge).body(Map.of("app", "live")).post("/api/v1/nodes/" + edge + "/publish-check")
                .then().statusCode(400).body("field", equalTo("streamKey"));
    }

    @Test
    void updatedSpecReachesTheNodeWithAHigherVersion() {
        TestCluster.expireAllNodes(clock, registry);
        String edge = unique("edge");
        beat(edge, "EDGE", 18_084, 1e12);
        String name = unique("upd");
        JsonPath created = admin().body(Api.pullStream(name)).post("/api/v1/streams").then().statusCode(201)
                .body("nodeId", equalTo(edge)).body("state", equalTo("assigned")).extract().jsonPath();
        String id = created.getString("id");
        long streamVersion = created.getLong("version");

        JsonPath before = beat(edge, "EDGE", 18_084, 1e12);
        assertThat(before.getList("streams.id", String.class)).contains(id);
        long desiredBefore = before.getLong("version");

        Map<String, Object> changed = Map.of("name", name,
                "source", Map.of("type", "rtsp-pull", "url", "rtsp://127.0.0.1:8554/" + name),
                "stages", List.of(Map.of("type", "grayscale")));
        admin().body(changed).put("/api/v1/streams/" + id).then().statusCode(200)
                .body("spec.stages[0].type", equalTo("grayscale"))
                .body("version", equalTo((int) streamVersion + 1));

        JsonPath after = beat(edge, "EDGE", 18_084, 1e12);
        assertThat(after.getLong("version")).isGreaterThan(desiredBefore);
        assertThat(after.getString("streams.find { it.id == '" + id + "' }.spec.stages[0].type"))
                .isEqualTo("grayscale");
        // An unchanged assignment keeps its version: the agent can skip work.
        assertThat(beat(edge, "EDGE", 18_084, 1e12).getLong("version")).isEqualTo(after.getLong("version"));

        admin().body(Map.of("name", "renamed", "source", changed.get("source"))).put("/api/v1/streams/" + id)
                .then().statusCode(400).body("field", equalTo("name"));
        admin().body(Map.of("name", name)).put("/api/v1/streams/" + id)
                .then().statusCode(400).body("field", equalTo("source.type"));
    }

    @Test
    void deletedStreamLeavesApiAndNode() {
        TestCluster.expireAllNodes(clock, registry);
        String edge = unique("edge");
        beat(edge, "EDGE", 18_085, 1e12);
        String id = admin().body(Api.pullStream(unique("del"))).post("/api/v1/streams").then().statusCode(201)
                .extract().path("id");
        assertThat(beat(edge, "EDGE", 18_085, 1e12).getList("streams.id", String.class)).contains(id);
        admin().delete("/api/v1/streams/" + id).then().statusCode(204);
        admin().get("/api/v1/streams/" + id).then().statusCode(404);
        assertThat(beat(edge, "EDGE", 18_085, 1e12).getList("streams.id", String.class)).doesNotContain(id);
    }

    @Test
    void captionGoesStraightToTheNodeRunningTheStream() throws Exception {
        BlockingQueue<String[]> received = new ArrayBlockingQueue<>(4);
        HttpServer fakeEdge = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fakeEdge.createContext("/api/streams/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new String[]{exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body});
            if (body.contains("while not live")) {
                // what a real edge answers for a stream without a publisher (EdgeCaptionFeedbackTest)
                byte[] refusal = "{\"error\":\"stream is not live (waiting, no publisher): the caption would not be seen\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(409, refusal.length);
                exchange.getResponseBody().write(refusal);
            } else {
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        fakeEdge.start();
        try {
            TestCluster.expireAllNodes(clock, registry);
            String name = unique("cap");
            String id = admin().body(Api.pullStream(name)).post("/api/v1/streams").then().statusCode(201)
                    .body("state", equalTo("pending")).extract().path("id");
            admin().body(Map.of("text", "hello")).post("/api/v1/streams/" + id + "/captions").then().statusCode(409);

            String edge = unique("edge");
            int port = fakeEdge.getAddress().getPort();
            node(edge).body(Map.of("nodeId", edge, "role", "EDGE", "rtmpUrl", "rtmp://127.0.0.1:1935",
                            "httpUrl", "http://127.0.0.1:" + port, "capacity", 1e12))
                    .post("/api/v1/nodes/" + edge + "/heartbeat").then().statusCode(200);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                    edge.equals(admin().get("/api/v1/streams/" + id).path("nodeId")));

            admin().body(Map.of("text", "hello")).post("/api/v1/streams/" + id + "/captions").then().statusCode(202);
            String[] r = received.poll(2, TimeUnit.SECONDS);
            assertThat(r).isNotNull();
            assertThat(r[0]).isEqualTo("POST");
            assertThat(r[1]).isEqualTo("/api/streams/" + name + "/captions");
            // The control API calls the node with that node's own call token, never the join token all nodes hold.
            assertThat(r[2]).isEqualTo("Bearer " + forwardTokens.controlToken(edge)).doesNotContain(Api.JOIN_TOKEN);
            assertThat(Api.node(edge).body(Api.heartbeat(edge, "EDGE", port, 1e12))
                    .post("/api/v1/nodes/" + edge + "/heartbeat").then().statusCode(200).extract().jsonPath()
                    .getString("controlTokenSha256")).isEqualTo(StreamKeys.hash(forwardTokens.controlToken(edge)));
            assertThat(r[3]).isEqualTo("{\"text\":\"hello\"}");

            // Once the JVM has loaded the HTTP client, a caption reaches the node well within 500 ms.
            long start = System.nanoTime();
            admin().body(Map.of("text", "second")).post("/api/v1/streams/" + id + "/captions").then().statusCode(202);
            assertThat(received.poll(2, TimeUnit.SECONDS)).isNotNull();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(500);

            // the node's reason why a caption would not be seen reaches the caller, as a 409 with its words
            admin().body(Map.of("text", "while not live")).post("/api/v1/streams/" + id + "/captions").then()
                    .statusCode(409).body("error", org.hamcrest.Matchers.containsString("not live (waiting, no publisher)"));
            assertThat(received.poll(2, TimeUnit.SECONDS)).isNotNull();

            admin().body(Map.of("text", "")).post("/api/v1/streams/" + id + "/captions").then().statusCode(400)
                    .body("field", equalTo("text"));
            admin().body(Map.of("text", "x".repeat(501))).post("/api/v1/streams/" + id + "/captions")
                    .then().statusCode(400).body("field", equalTo("text"));
        } finally {
            fakeEdge.stop(0);
        }
    }
}
