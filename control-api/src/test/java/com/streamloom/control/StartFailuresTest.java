package com.streamloom.control;

import com.streamloom.control.cluster.NodeRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream whose nodes report it failed to start {@code max-start-failures} times (3 in tests) is marked failed with
 * the reason and stays on its node, even when that node dies, instead of wandering; a spec change or a restart clears
 * the mark.
 */
@QuarkusTest
class StartFailuresTest {
    /** More room than any other test's edge, so the least-loaded placer picks these. */
    private static final double CAP = 1e14;

    @Inject
    MutableClock clock;
    @Inject
    NodeRegistry registry;

    @Test
    void aStreamThatFailsEveryStartStaysPutAsFailedUntilRestarted() {
        String edgeA = unique("fail-a");
        String edgeB = unique("fail-b");
        beat(edgeA, "EDGE", 19_501, CAP);
        String name = unique("broken");
        String id = admin().body(Api.pullStream(name)).post("/api/v1/streams").then().statusCode(201)
                .extract().path("id");
        String first = admin().get("/api/v1/streams/" + id).then().extract().path("nodeId");
        assertThat(first).isEqualTo(edgeA);
        beat(edgeB, "EDGE", 19_502, CAP);

        // Two distinct failures on edge A (a failure anew has another "since"): counted, not yet failed.
        failedBeat(edgeA, 19_501, id, "2026-01-01T00:00:00Z");
        failedBeat(edgeA, 19_501, id, "2026-01-01T00:00:00Z"); // the same failure reported again counts once
        failedBeat(edgeA, 19_501, id, "2026-01-01T00:01:00Z");
        assertThat(stream(id).getString("state")).isEqualTo("assigned");

        failedBeat(edgeA, 19_501, id, "2026-01-01T00:02:00Z");
        await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(stream(id).getString("state")));
        JsonPath failed = stream(id);
        assertThat(failed.getString("nodeId")).isEqualTo(edgeA);
        assertThat(failed.getString("pendingReason")).contains("failed to start 3 times").contains(edgeA)
                .contains("decoder exploded");
        // Still desired on its node, which retries it with back-off.
        assertThat(beat(edgeA, "EDGE", 19_501, CAP).getList("streams.id", String.class)).contains(id);

        // Edge A dies: a failed stream is not moved to edge B.
        clock.advance(Duration.ofSeconds(10));
        beat(edgeB, "EDGE", 19_502, CAP);
        registry.detectDown();
        await().atMost(Duration.ofSeconds(20)).until(() -> registry.get(edgeA).map(n -> !n.up()).orElse(false));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> {
            JsonPath s = stream(id);
            return "failed".equals(s.getString("state")) && edgeA.equals(s.getString("nodeId"));
        });
        assertThat(beat(edgeB, "EDGE", 19_502, CAP).getList("streams.id", String.class)).doesNotContain(id);

        // A restart clears the mark; the stream is moved like any other again (its node is down, so to edge B).
        assertThat(admin().post("/api/v1/streams/" + id + "/restart").then().statusCode(200).extract()
                .jsonPath().getString("state")).isNotEqualTo("failed");
        await().atMost(Duration.ofSeconds(20)).until(() -> edgeB.equals(stream(id).getString("nodeId")));
        assertThat(stream(id).getString("state")).isEqualTo("assigned");
    }

    @Test
    void aSpecChangeClearsTheFailedMark() {
        String edge = unique("fail-spec");
        beat(edge, "EDGE", 19_503, CAP);
        String name = unique("broken-spec");
        String id = admin().body(Api.pullStream(name)).post("/api/v1/streams").then().statusCode(201)
                .extract().path("id");
        for (int i = 0; i < 3; i++) {
            failedBeat(edge, 19_503, id, "2026-01-01T00:0" + i + ":00Z");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(stream(id).getString("state")));

        Map<String, Object> changed = new HashMap<>(Api.pullStream(name));
        changed.put("stages", List.of(Map.of("type", "grayscale")));
        admin().body(changed).put("/api/v1/streams/" + id).then().statusCode(200);
        JsonPath now = stream(id);
        assertThat(now.getString("state")).isEqualTo("assigned");
        assertThat(now.getString("nodeId")).isEqualTo(edge);
        assertThat(now.getString("pendingReason")).isNull();
    }

    private static JsonPath stream(String id) {
        return admin().get("/api/v1/streams/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** A heartbeat whose node reports the stream failed since {@code since}. */
    private static void failedBeat(String nodeId, int port, String streamId, String since) {
        Map<String, Object> hb = new HashMap<>(Api.heartbeat(nodeId, "EDGE", port, CAP));
        hb.put("load", Map.of("cpu", 0.0, "memoryBytes", 1000, "pipelines", List.of(Map.of("id", streamId,
                "kind", "stream", "state", "failed", "fps", 0, "latencyP99Ms", 0, "drops", 0,
                "error", "decoder exploded", "since", since))));
        Api.node(nodeId).body(hb).post("/api/v1/nodes/" + nodeId + "/heartbeat").then().statusCode(200);
    }
}
