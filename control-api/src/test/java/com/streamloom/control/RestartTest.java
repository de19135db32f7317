package com.streamloom.control;

import com.streamloom.control.cluster.AssignmentIndex;
import com.streamloom.control.cluster.NodeRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.node;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Restarting loses nothing. The in-memory state (nodes, index) is dropped and rebuilt from the
 * database exactly as at start, and every answer is the same afterwards.
 */
@QuarkusTest
public class RestartTest {
    @Inject
    NodeRegistry registry;
    @Inject
    AssignmentIndex index;
    @Inject
    MutableClock clock;

    @Test
    void everythingSurvivesARestart() {
        RestartScenario.run(registry, index, clock);
    }

    /** Shared with the PostgreSQL run. */
    public static final class RestartScenario {
        public static void run(NodeRegistry registry, AssignmentIndex index, MutableClock clock) {
            // Other classes' streams would be moved by the control loop while their nodes go quiet, changing the
            // listings between the two reads for reasons that have nothing to do with a restart.
            TestCluster.reset(clock, registry);
            String edge = unique("edge");
            String compositor = unique("comp");
            beat(edge, "EDGE", 19_101, 1e12);
            beat(compositor, "COMPOSITOR", 19_102, 1e12);
            JsonPath push = admin().body(Api.pushStream(unique("keep"))).post("/api/v1/streams").then()
                    .statusCode(201).extract().jsonPath();
            String pullName = unique("keep-pull");
            admin().body(Map.of("name", pullName, "source", Map.of("type", "rtmp-pull", "url", "rtmp://127.0.0.1/live/x"),
                    "stages", List.of(Map.of("type", "gaussian-blur", "kernel", 5)))).post("/api/v1/streams")
                    .then().statusCode(201);
            String comp = admin().body(Map.of("name", unique("keep-comp"), "inputs", List.of(Map.of("stream", pullName))))
                    .post("/api/v1/compositions").then().statusCode(201).extract().path("id");
            String streamsBefore = admin().get("/api/v1/streams").asString();
            String compositionsBefore = admin().get("/api/v1/compositions").asString();
            String edgeDesiredBefore = beat(edge, "EDGE", 19_101, 1e12).prettify();
            registry.flush();

            // What a restart does: forget everything in memory, load from the database; it takes a moment.
            clock.advance(java.time.Duration.ofMillis(500));
            registry.load();
            index.reload();

            assertThat(admin().get("/api/v1/streams").asString()).isEqualTo(streamsBefore);
            assertThat(admin().get("/api/v1/compositions").asString()).isEqualTo(compositionsBefore);
            admin().get("/api/v1/nodes/" + edge).then().statusCode(200).body("up", equalTo(true));
            JsonPath edgeDesired = beat(edge, "EDGE", 19_101, 1e12);
            JsonPath before = new JsonPath(edgeDesiredBefore);
            assertThat(edgeDesired.getList("streams")).isEqualTo(before.getList("streams"));
            assertThat(edgeDesired.getLong("version")).isGreaterThan(before.getLong("version"));
            assertThat(beat(compositor, "COMPOSITOR", 19_102, 1e12).getList("compositions.id", String.class))
                    .contains(comp);
            node(edge).body(Map.of("app", "live", "streamKey", push.getString("streamKey")))
                    .post("/api/v1/nodes/" + edge + "/publish-check").then().statusCode(200)
                    .body("allowed", equalTo(true)).body("streamId", equalTo(push.getString("id")));
        }
    }
}
