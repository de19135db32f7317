package com.streamloom.control;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.node;
import static com.streamloom.control.Api.unique;
import static org.hamcrest.Matchers.equalTo;

/** A heartbeat with NaN, negative or absurd load is refused (400 naming the field) and changes nothing recorded. */
@QuarkusTest
class HeartbeatLoadValidationTest {

    @Test
    void nanNegativeAndAbsurdLoadsAreRefusedAndMoveNothing() {
        String id = unique("hb-load");
        Api.beat(id, "EDGE", 9100, 1e9);
        Map<String, Object> before = Api.admin().get("/api/v1/nodes/" + id).then().statusCode(200).extract()
                .jsonPath().getMap("");

        refused(id, withLoad(id, Map.of("cpu", "NaN", "memoryBytes", 1, "pipelines", List.of())), "load.cpu");
        refused(id, withLoad(id, Map.of("cpu", -0.5, "memoryBytes", 1, "pipelines", List.of())), "load.cpu");
        refused(id, withLoad(id, Map.of("cpu", 1e9, "memoryBytes", 1, "pipelines", List.of())), "load.cpu");
        refused(id, withLoad(id, Map.of("cpu", 0.1, "memoryBytes", -1, "pipelines", List.of())), "load.memoryBytes");
        refused(id, withLoad(id, Map.of("cpu", 0.1, "memoryBytes", 1, "pipelines", List.of(Map.of("id", "x",
                "kind", "stream", "state", "live", "fps", "NaN", "latencyP99Ms", 1, "drops", 0)))), "load.pipelines[0]");
        Map<String, Object> hb = new HashMap<>(Api.heartbeat(id, "EDGE", 9100, 1e9));
        hb.put("capacity", "Infinity");
        refused(id, hb, "capacity");
        hb.put("capacity", 1e300);
        refused(id, hb, "capacity");

        Map<String, Object> after = Api.admin().get("/api/v1/nodes/" + id).then().statusCode(200).extract()
                .jsonPath().getMap("");
        for (String field : List.of("cpu", "memoryBytes", "capacity", "lastSeen")) {
            org.assertj.core.api.Assertions.assertThat(after.get(field)).as(field).isEqualTo(before.get(field));
        }
    }

    private static Map<String, Object> withLoad(String id, Map<String, Object> load) {
        Map<String, Object> hb = new HashMap<>(Api.heartbeat(id, "EDGE", 9100, 1e9));
        hb.put("load", load);
        return hb;
    }

    private static void refused(String id, Map<String, Object> body, String field) {
        node(id).body(body).post("/api/v1/nodes/" + id + "/heartbeat").then().statusCode(400)
                .body("field", equalTo(field));
    }
}
