package com.streamloom.control;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.node;
import static com.streamloom.control.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** Every bad request is a clear 4xx with a JSON problem body, never a 500. */
@QuarkusTest
class ApiErrorsTest {

    @Test
    void refusesCallsWithoutToken() {
        RestAssured.given().get("/api/v1/streams").then().statusCode(401)
                .body("status", equalTo(401)).body("error", containsString("bearer token"));
    }

    @Test
    void refusesUnknownToken() {
        RestAssured.given().header("Authorization", "Bearer not-a-token-at-all").get("/api/v1/streams")
                .then().statusCode(401);
    }

    @Test
    void refusesNodeTokenOnAdminCalls() {
        String n = unique("n");
        node(n).get("/api/v1/streams").then().statusCode(403).body("status", equalTo(403));
        node(n).body(Api.pushStream(unique("n"))).post("/api/v1/streams").then().statusCode(403);
        node(n).get("/api/v1/nodes").then().statusCode(403);
        Api.join().get("/api/v1/streams").then().statusCode(403);
        Api.join().get("/api/v1/nodes").then().statusCode(403);
    }

    @Test
    void refusesAdminCallsToMetricsWithoutToken() {
        RestAssured.given().get("/q/metrics").then().statusCode(401);
    }

    @Test
    void validationErrorNamesTheField() {
        admin().body(Map.of("name", unique("v"), "source", Map.of("type", "rtsp-pull", "url", "http://x")))
                .post("/api/v1/streams").then().statusCode(400)
                .body("field", equalTo("source.url")).body("error", containsString("rtsp://"));
        admin().body(Map.of("name", unique("v"), "encoding", Map.of("bitrateKbps", 5)))
                .post("/api/v1/streams").then().statusCode(400).body("field", equalTo("encoding.bitrateKbps"));
        admin().body(Map.of("name", "../etc")).post("/api/v1/streams").then().statusCode(400)
                .body("field", equalTo("name"));
    }

    @Test
    void wrongTypeNamesTheField() {
        admin().body("{\"name\":\"x\",\"encoding\":{\"bitrateKbps\":\"fast\"}}").post("/api/v1/streams")
                .then().statusCode(400).body("field", equalTo("encoding.bitrateKbps"));
        admin().body("{\"name\":\"x\",\"stages\":{\"a\":1}}").post("/api/v1/streams")
                .then().statusCode(400).body("field", equalTo("stages"));
    }

    @Test
    void malformedJsonIs400() {
        admin().body("{\"name\": \"x\",").post("/api/v1/streams").then().statusCode(400)
                .body("status", equalTo(400)).body("error", notNullValue());
        admin().body("not json at all").post("/api/v1/streams").then().statusCode(400);
        admin().body("[1,2,3]").post("/api/v1/streams").then().statusCode(400);
        node("n1").body("{\"role\":\"TOASTER\"}").post("/api/v1/nodes/n1/heartbeat").then().statusCode(400)
                .body("field", equalTo("role"));
    }

    @Test
    void emptyBodyIs400() {
        admin().post("/api/v1/streams").then().statusCode(400).body("field", equalTo("body"));
    }

    @Test
    void oversizedBodyIs413() {
        String huge = "{\"name\":\"" + "a".repeat(400_000) + "\"}";
        admin().body(huge).post("/api/v1/streams").then().statusCode(413);
    }

    @Test
    void wrongContentTypeIs415() {
        admin().contentType(ContentType.TEXT).body("name=x").post("/api/v1/streams").then().statusCode(415);
    }

    @Test
    void unknownIdsAre404() {
        admin().get("/api/v1/streams/no-such-id").then().statusCode(404).body("status", equalTo(404))
                .body("error", containsString("no-such-id"));
        admin().put("/api/v1/compositions/nope").then().statusCode(404);
        admin().body(Map.of("name", "whatever")).put("/api/v1/streams/nope").then().statusCode(404);
        admin().delete("/api/v1/streams/nope").then().statusCode(404);
        admin().get("/api/v1/nodes/nope").then().statusCode(404);
        admin().get("/api/v1/nothing-here").then().statusCode(404);
    }

    @Test
    void duplicateNameIs409() {
        String name = unique("dup");
        admin().body(Api.pushStream(name)).post("/api/v1/streams").then().statusCode(201);
        admin().body(Api.pullStream(name)).post("/api/v1/streams").then().statusCode(409)
                .body("error", containsString(name));
    }

    @Test
    void compositionInputMustExist() {
        admin().body(Map.of("name", unique("c"), "inputs", List.of(Map.of("stream", "missing-stream"))))
                .post("/api/v1/compositions").then().statusCode(400).body("field", equalTo("inputs[0].stream"));
        admin().body(Map.of("name", unique("c"), "inputs", List.of()))
                .post("/api/v1/compositions").then().statusCode(400).body("field", equalTo("inputs"));
    }

    @Test
    void heartbeatValidation() {
        var hb = new java.util.HashMap<>(Api.heartbeat("hb-x", "EDGE", 9000, 1e9));
        hb.put("capacity", -1);
        node("hb-x").body(hb).post("/api/v1/nodes/hb-x/heartbeat").then().statusCode(400).body("field", equalTo("capacity"));
        node("hb-x").body(Api.heartbeat("other", "EDGE", 9000, 1e9)).post("/api/v1/nodes/hb-x/heartbeat")
                .then().statusCode(400).body("field", equalTo("nodeId"));
        hb = new java.util.HashMap<>(Api.heartbeat("hb-x", "EDGE", 9000, 1e9));
        hb.put("httpUrl", "ftp://x");
        node("hb-x").body(hb).post("/api/v1/nodes/hb-x/heartbeat").then().statusCode(400).body("field", equalTo("httpUrl"));
    }

    @Test
    void healthOpenAndMetricsAndOpenApiServed() {
        RestAssured.given().get("/q/health").then().statusCode(200).body(containsString("UP"));
        RestAssured.given().get("/q/health/ready").then().statusCode(200).body(containsString("Database"));
        admin().get("/q/metrics").then().statusCode(200).body(containsString("streamloom_nodes_up"))
                .body(containsString("streamloom_streams"));
        RestAssured.given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/streams"));
    }
}
