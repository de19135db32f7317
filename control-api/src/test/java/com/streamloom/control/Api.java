package com.streamloom.control;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests as the admin, as a node (its own credential, enrolled with the join token) or as Prometheus (metrics
 * token), and the JSON bodies the tests send.
 */
public final class Api {
    public static final String ADMIN_TOKEN = "tA9-kQ2mZx7Lw4pVr8Nc3Hb6Jy";
    /** streamloom.node-token of the %test profile: the cluster's join token, which may only enrol a node. */
    public static final String JOIN_TOKEN = "nX5-Rt8qWm2Kd7vLp4Zs9Fc3Gh";
    /** streamloom.metrics-token of the %test profile: may only read GET /q/metrics. */
    public static final String METRICS_TOKEN = "mT3-Yh6pQz9Vk2Wr5Lx8Nd4Bc7";

    private Api() {
    }

    public static RequestSpecification admin() {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    /** Each node's credential, per running application (its random port): a restarted test app has a new database. */
    private static final Map<String, String> CREDENTIALS = new ConcurrentHashMap<>();

    /** Requests as the node {@code nodeId}, with its own credential (enrolled on first use). */
    public static RequestSpecification node(String nodeId) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + credential(nodeId));
    }

    /** Requests with the join token, which may only enrol. */
    public static RequestSpecification join() {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + JOIN_TOKEN);
    }

    /** The node's credential: enrolled with the join token the first time this application sees the node. */
    public static String credential(String nodeId) {
        return CREDENTIALS.computeIfAbsent(RestAssured.port + "/" + nodeId, k -> enrolAnswer(nodeId));
    }

    /** Enrols the node (again), so its earlier credential stops working; returns and remembers the new one. */
    public static String enrol(String nodeId) {
        String credential = enrolAnswer(nodeId);
        CREDENTIALS.put(RestAssured.port + "/" + nodeId, credential);
        return credential;
    }

    private static String enrolAnswer(String nodeId) {
        return join().post("/api/v1/nodes/" + nodeId + "/enrol").then().statusCode(200).extract().path("credential");
    }

    public static RequestSpecification metrics() {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + METRICS_TOKEN);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Map<String, Object> pushStream(String name) {
        return Map.of("name", name);
    }

    public static Map<String, Object> pullStream(String name) {
        return Map.of("name", name, "source", Map.of("type", "rtsp-pull", "url", "rtsp://127.0.0.1:8554/" + name));
    }

    /** A heartbeat as an agent sends it; capacity in cost units (a 720p30 stream costs about 2.8e7). */
    public static Map<String, Object> heartbeat(String nodeId, String role, int port, double capacity) {
        return Map.of("nodeId", nodeId, "role", role, "rtmpUrl", "rtmp://127.0.0.1:" + (port + 1000),
                "httpUrl", "http://127.0.0.1:" + port, "capacity", capacity,
                "load", Map.of("cpu", 0.0, "memoryBytes", 1000, "pipelines", List.of()));
    }

    /** Sends one heartbeat and returns the desired state as a RestAssured response body. */
    public static io.restassured.path.json.JsonPath beat(String nodeId, String role, int port, double capacity) {
        return node(nodeId).body(heartbeat(nodeId, role, port, capacity))
                .post("/api/v1/nodes/" + nodeId + "/heartbeat").then().statusCode(200).extract().jsonPath();
    }
}
