package com.streamloom.control;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.metrics;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The metrics token (streamloom.metrics-token, test-metrics-token in %test) lets Prometheus read /q/metrics and
 * nothing else; the admin token keeps full access, including the metrics.
 */
@QuarkusTest
class MetricsTokenTest {

    @Test
    void metricsTokenReadsThePrometheusText() {
        String body = metrics().get("/q/metrics").then().statusCode(200)
                .contentType(not(startsWith("application/json")))
                .extract().asString();
        // Prometheus exposition format: TYPE lines and our gauges.
        assertThat(body).contains("# TYPE streamloom_nodes_up gauge", "streamloom_streams");
    }

    @Test
    void metricsTokenIsRefusedOnTheStreamApi() {
        metrics().get("/api/v1/streams").then().statusCode(403).body("status", equalTo(403))
                .body("error", containsString("metrics token may only read GET /q/metrics"));
        String name = unique("m");
        metrics().body(Api.pushStream(name)).post("/api/v1/streams").then().statusCode(403);
        metrics().delete("/api/v1/streams/" + unique("id")).then().statusCode(403);
        // Nothing was created by the refused POST.
        assertThat(admin().get("/api/v1/streams").then().statusCode(200).extract().jsonPath()
                .getList("spec.name", String.class)).doesNotContain(name);
    }

    @Test
    void metricsTokenIsRefusedOnANodesHeartbeat() {
        String nodeId = unique("metrics-hb");
        metrics().body(Api.heartbeat(nodeId, "EDGE", 9100, 1e9)).post("/api/v1/nodes/" + nodeId + "/heartbeat")
                .then().statusCode(403).body("error", containsString("metrics token"));
        metrics().body(java.util.Map.of("key", "x")).post("/api/v1/nodes/" + nodeId + "/publish-check")
                .then().statusCode(403);
        // The refused heartbeat registered no node.
        admin().get("/api/v1/nodes/" + nodeId).then().statusCode(404);
    }

    @Test
    void metricsTokenMayOnlyGetTheMetrics() {
        metrics().body("{}").post("/q/metrics").then().statusCode(403)
                .body("error", containsString("metrics token may only read GET /q/metrics"));
        // A look-alike path is not under /q/metrics.
        metrics().get("/q/metricsx").then().statusCode(403);
    }

    @Test
    void adminStillReadsTheMetrics() {
        admin().get("/q/metrics").then().statusCode(200).body(containsString("streamloom_nodes_up"));
    }

    @Test
    void aWrongTokenIsUnauthorizedOnTheMetrics() {
        RestAssured.given().header("Authorization", "Bearer " + Api.METRICS_TOKEN.toUpperCase()).get("/q/metrics").then()
                .statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                .body("error", containsString("bearer token"));
        RestAssured.given().header("Authorization", "Bearer " + Api.METRICS_TOKEN + "x").get("/q/metrics").then()
                .statusCode(401);
    }
}
