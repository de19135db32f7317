package com.streamloom.control;

import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.cluster.NodeState;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Moves the test clock so that every node heard from so far is declared down, giving a test a clean cluster. */
public final class TestCluster {
    private TestCluster() {
    }

    /** Deletes every composition and stream, then expires the nodes: for tests that count capacity. */
    public static void reset(MutableClock clock, NodeRegistry registry) {
        for (String id : Api.admin().get("/api/v1/compositions").jsonPath().getList("id", String.class)) {
            Api.admin().delete("/api/v1/compositions/" + id).then().statusCode(204);
        }
        for (String id : Api.admin().get("/api/v1/streams").jsonPath().getList("id", String.class)) {
            Api.admin().delete("/api/v1/streams/" + id).then().statusCode(204);
        }
        expireAllNodes(clock, registry);
    }

    public static void expireAllNodes(MutableClock clock, NodeRegistry registry) {
        clock.advance(Duration.ofMinutes(10));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.all().stream().noneMatch(NodeState::up));
    }
}
