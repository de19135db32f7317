package com.streamloom.control.webhook;

import com.streamloom.control.Api;
import com.streamloom.control.MutableClock;
import com.streamloom.control.TestCluster;
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

/** What nodes report becomes webhook events: stream published, unpublished and failed, node down. */
@QuarkusTest
class WebhookEventsTest {
    private static final double ROOMY = 1e14;

    @Inject
    MutableClock clock;
    @Inject
    NodeRegistry registry;

    @Test
    void streamAndNodeChangesReachTheReceiver() throws Exception {
        // a clean cluster, so the stream is placed on this test's edge
        TestCluster.expireAllNodes(clock, registry);
        try (Receiver r = new Receiver(n -> 200, 0)) {
            String hook = WebhookDeliveryTest.register(r.url("/events"), WebhookEvents.STREAM_PUBLISHED,
                    WebhookEvents.STREAM_UNPUBLISHED, WebhookEvents.STREAM_FAILED, WebhookEvents.NODE_DOWN);
            try {
                String edge = unique("wh-edge");
                beat(edge, "EDGE", 19_701, ROOMY);
                String name = unique("wh-cam");
                String id = admin().body(Api.pullStream(name)).post("/api/v1/streams").then().statusCode(201)
                        .extract().path("id");

                reporting(edge, id, "starting", "2026-01-01T00:00:00Z", null);
                reporting(edge, id, "live", "2026-01-01T00:00:01Z", null);
                reporting(edge, id, "live", "2026-01-01T00:00:01Z", null); // still live: no second event
                JsonPath published = awaitEvent(r, "stream.published");
                assertThat(published.getString("data.streamId")).isEqualTo(id);
                assertThat(published.getString("data.name")).isEqualTo(name);
                assertThat(published.getString("data.nodeId")).isEqualTo(edge);

                reporting(edge, id, "reconnecting", "2026-01-01T00:00:05Z", null);
                assertThat(awaitEvent(r, "stream.unpublished").getString("data.state")).isEqualTo("reconnecting");

                // three distinct start failures mark the stream failed
                for (int i = 0; i < 3; i++) {
                    reporting(edge, id, "failed", "2026-01-01T00:01:0" + i + "Z", "decoder exploded");
                }
                assertThat(awaitEvent(r, "stream.failed").getString("data.reason")).contains("decoder exploded");

                TestCluster.expireAllNodes(clock, registry);
                await().atMost(Duration.ofSeconds(20)).until(() -> r.received().stream()
                        .map(x -> JsonPath.from(x.body())).anyMatch(j -> "node.down".equals(j.getString("type"))
                                && edge.equals(j.getString("data.nodeId"))));
                assertThat(r.received().stream().filter(x -> x.body().contains("stream.published"))).hasSize(1);
                admin().delete("/api/v1/streams/" + id).then().statusCode(204);
            } finally {
                admin().delete("/api/v1/webhooks/" + hook).then().statusCode(204);
            }
        }
    }

    private static JsonPath awaitEvent(Receiver r, String type) {
        await().atMost(Duration.ofSeconds(20)).until(() -> r.received().stream()
                .anyMatch(x -> type.equals(JsonPath.from(x.body()).getString("type"))));
        return r.received().stream().map(x -> JsonPath.from(x.body()))
                .filter(j -> type.equals(j.getString("type"))).findFirst().orElseThrow();
    }

    private static void reporting(String edge, String streamId, String state, String since, String error) {
        Map<String, Object> hb = new HashMap<>(Api.heartbeat(edge, "EDGE", 19_701, ROOMY));
        Map<String, Object> p = new HashMap<>(Map.of("id", streamId, "kind", "stream", "state", state, "fps", 0,
                "latencyP99Ms", 0, "drops", 0, "since", since));
        if (error != null) {
            p.put("error", error);
        }
        hb.put("load", Map.of("cpu", 0.0, "memoryBytes", 1000, "pipelines", List.of(p)));
        Api.node(edge).body(hb).post("/api/v1/nodes/" + edge + "/heartbeat").then().statusCode(200);
    }
}
