package com.streamloom.control;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.ADMIN_TOKEN;
import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** A request means exactly what it says or is refused with a 400 naming the field: nothing is dropped or converted. */
@QuarkusTest
class StrictRequestsTest {

    private static void refused(String body, String path, String field, String message) {
        admin().body(body).post(path).then().statusCode(400).body("status", equalTo(400))
                .body("field", equalTo(field)).body("error", containsString(field + ": " + message));
    }

    @Test
    void unknownFieldsAreRefusedNotDropped() {
        refused("{\"name\":\"" + unique("u") + "\",\"encoding\":{\"bitrate\":3000}}", "/api/v1/streams",
                "encoding.bitrate", "is not a known field");
        refused("{\"name\":\"" + unique("u") + "\",\"colour\":\"red\"}", "/api/v1/streams", "colour",
                "is not a known field");
        refused("{\"name\":\"" + unique("u") + "\",\"inputs\":[{\"stream\":\"x\",\"volume\":2}]}",
                "/api/v1/compositions", "inputs[0].volume", "is not a known field");
    }

    @Test
    void nodesMaySendFieldsTheApiDoesNotKnowYetButNotWrongTypes() {
        // a node newer than the control API, during a rolling upgrade
        String node = unique("strict-node");
        Map<String, Object> hb = new java.util.HashMap<>(Api.heartbeat(node, "EDGE", 9500, 1e9));
        hb.put("zone", "eu-1");
        hb.put("load", Map.of("cpu", 0.1, "memoryBytes", 1000, "gpu", 0.5, "pipelines",
                List.of(Map.of("id", "x", "kind", "stream", "state", "live", "since", "2026-12-03T14:05:09Z"))));
        Api.node(node).body(hb).post("/api/v1/nodes/" + node + "/heartbeat").then().statusCode(200);
        hb.put("capacity", "lots");
        Api.node(node).body(hb).post("/api/v1/nodes/" + node + "/heartbeat").then().statusCode(400)
                .body("field", equalTo("capacity")).body("error", containsString("must be a number"));
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedNotConverted() {
        refused("{\"name\":123}", "/api/v1/streams", "name", "must be a string");
        refused("{\"name\":\"" + unique("t") + "\",\"encoding\":{\"bitrateKbps\":\"3000\"}}", "/api/v1/streams",
                "encoding.bitrateKbps", "must be a whole number");
        refused("{\"name\":\"" + unique("t") + "\",\"encoding\":{\"bitrateKbps\":2500.5}}", "/api/v1/streams",
                "encoding.bitrateKbps", "must be a whole number");
        refused("{\"name\":\"" + unique("t") + "\",\"output\":{\"segmentSeconds\":true}}", "/api/v1/streams",
                "output.segmentSeconds", "must be a number");
        String id = admin().body(Api.pushStream(unique("cap"))).post("/api/v1/streams").then().statusCode(201)
                .extract().path("id");
        refused("{\"text\":42}", "/api/v1/streams/" + id + "/captions", "text", "must be a string");
        refused("{\"ttlSeconds\":\"60\"}", "/api/v1/streams/" + id + "/playback-tokens", "ttlSeconds",
                "must be a whole number");
    }

    @Test
    void whatTheApiShowsItAcceptsBack() {
        String name = unique("round");
        JsonPath created = admin().body(Map.of("name", name, "stages", List.of(Map.of("type", "text")),
                        "output", Map.of("forwardUrls", List.of("rtmp://example.org/live/x"))))
                .post("/api/v1/streams").then().statusCode(201).extract().jsonPath();
        Map<String, Object> shown = created.getMap("spec");
        admin().body(shown).put("/api/v1/streams/" + created.getString("id")).then().statusCode(200);
        JsonPath comp = admin().body(Map.of("name", unique("round-c"), "inputs", List.of(Map.of("stream", name))))
                .post("/api/v1/compositions").then().statusCode(201).extract().jsonPath();
        admin().body(comp.getMap("spec")).put("/api/v1/compositions/" + comp.getString("id")).then().statusCode(200);
    }

    @Test
    void namesThatDifferOnlyInCaseAreOneName() {
        String name = unique("Cam");
        admin().body(Api.pushStream(name)).post("/api/v1/streams").then().statusCode(201);
        admin().body(Api.pushStream(name.toLowerCase())).post("/api/v1/streams").then().statusCode(409)
                .body("error", containsString(name));
        admin().body(Api.pullStream(name.toUpperCase())).post("/api/v1/streams").then().statusCode(409);
        admin().body(Map.of("name", name.toLowerCase(), "inputs", List.of(Map.of("stream", name.toLowerCase()))))
                .post("/api/v1/compositions").then().statusCode(400).body("field", equalTo("inputs[0].stream"))
                .body("error", containsString("did you mean " + name));
        String comp = unique("Studio");
        admin().body(Map.of("name", comp, "inputs", List.of(Map.of("stream", name)))).post("/api/v1/compositions")
                .then().statusCode(201);
        admin().body(Map.of("name", comp.toUpperCase(), "inputs", List.of(Map.of("stream", name))))
                .post("/api/v1/compositions").then().statusCode(409).body("error", containsString(comp));
    }

    @Test
    void stagesNoNodeCanBuildAreRefusedNamingTheField() {
        String name = unique("st");
        refused("{\"name\":\"" + name + "\",\"stages\":[{\"type\":\"grayscale\"},{\"type\":\"grayscale\"},"
                + "{\"type\":\"ffmpeg\",\"graph\":\"nosuchfilter=3\"}]}", "/api/v1/streams", "stages[2].graph",
                "unknown filter 'nosuchfilter'");
        refused("{\"name\":\"" + name + "\",\"stages\":[{\"type\":\"subtitles\",\"format\":\"srt\","
                + "\"content\":\"1\\n00:00:01,000 -> 00:00:02,000\\nHi\\n\"}]}", "/api/v1/streams",
                "stages[0].content", "line 1: expected a cue number or a timing line");
        refused("{\"name\":\"" + name + "\",\"stages\":[{\"type\":\"image\",\"source\":\"data:image/png;base64,@@@\"}]}",
                "/api/v1/streams", "stages[0].source", "data: URI has invalid base64");
        refused("{\"name\":\"" + name + "\",\"stages\":[{\"type\":\"rotate\",\"degrees\":45}]}", "/api/v1/streams",
                "stages[0].degrees", "must be 90, 180 or 270");
    }

    @Test
    void aBodyTooLargeGetsTheSameJsonProblemAsEveryOtherError() {
        String huge = "{\"name\":\"" + "a".repeat(400_000) + "\"}";
        admin().body(huge).post("/api/v1/streams").then().statusCode(413).contentType(ContentType.JSON)
                .body("status", equalTo(413)).body("error", containsString("max-body-size"));
    }

    @Test
    void aChunkedBodyTooLargeGetsTheSameJsonProblemAsEveryOtherError() throws Exception {
        String huge = "{\"name\":\"" + "a".repeat(400_000) + "\"}";
        ChunkedPost.Answer answer = ChunkedPost.send(RestAssured.port, "/api/v1/streams", ADMIN_TOKEN, huge);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("content-type")).startsWith("application/json");
        JsonPath problem = JsonPath.from(answer.body());
        assertThat(problem.getInt("status")).isEqualTo(413);
        assertThat(problem.getString("error")).contains("max-body-size");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsTakenAsAnyOther() throws Exception {
        String name = unique("chunked");
        ChunkedPost.Answer answer = ChunkedPost.send(RestAssured.port, "/api/v1/streams", ADMIN_TOKEN,
                "{\"name\":\"" + name + "\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(JsonPath.from(answer.body()).getString("name")).isEqualTo(name);
    }
}
