package com.streamloom.control;

import java.util.ArrayList;
import java.util.List;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.unique;
import static org.hamcrest.Matchers.equalTo;

/**
 * For the rebalancing tests: the only edge of a clean cluster, loaded to its capacity with two pull
 * and two push streams, and a fifth (pull) stream pending for want of room. When another edge joins, the control
 * tick that handles the join places the pending stream there first, which shows a test that the join was handled.
 */
record OverloadedEdge(String nodeId, int port, List<String> pulls, List<String> pushes, String pending) {
    /** What a stream without stages costs at the assumed 1280x720 at 30 fps. */
    static final double STREAM_COST = 1280 * 720 * 30;

    static OverloadedEdge create(int port) {
        String node = unique("loaded");
        beat(node, "EDGE", port, 4 * STREAM_COST);
        List<String> pulls = new ArrayList<>();
        List<String> pushes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            pulls.add(create(Api.pullStream(unique("pull")), node));
            pushes.add(create(Api.pushStream(unique("push")), node));
        }
        String pending = admin().body(Api.pullStream(unique("waiting"))).post("/api/v1/streams").then()
                .statusCode(201).body("state", equalTo("pending")).extract().path("id");
        return new OverloadedEdge(node, port, pulls, pushes, pending);
    }

    private static String create(Object body, String expectedNode) {
        return admin().body(body).post("/api/v1/streams").then().statusCode(201).body("nodeId", equalTo(expectedNode))
                .extract().path("id");
    }

    static String nodeOf(String streamId) {
        return admin().get("/api/v1/streams/" + streamId).path("nodeId");
    }

    /** The stream ids this edge's heartbeat answer tells it to run. */
    List<String> desired() {
        return beat(nodeId, "EDGE", port, 4 * STREAM_COST).getList("streams.id", String.class);
    }
}
