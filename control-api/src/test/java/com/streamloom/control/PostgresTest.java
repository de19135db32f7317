package com.streamloom.control;

import com.streamloom.control.cluster.AssignmentIndex;
import com.streamloom.control.cluster.NodeRegistry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The real PostgreSQL: CRUD and restart (leader election: {@code LeaseFencingTest}); playback
 * keys and tokens too; the webhook outbox.
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresTest {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    NodeRegistry registry;
    @Inject
    AssignmentIndex index;
    @Inject
    MutableClock clock;
    @Inject
    com.streamloom.control.webhook.WebhookEvents events;

    @Test
    void runsOnPostgres() throws Exception {
        try (Connection c = dataSource.getConnection(); ResultSet rs = c.createStatement()
                .executeQuery("select current_schema()")) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(PostgresProfile.SCHEMA);
        }
    }

    @Test
    void streamsAndCompositionsCrud() {
        String edge = unique("pg-edge");
        beat(edge, "EDGE", 19_201, 1e12);
        String name = unique("pg");
        JsonPath created = admin().body(Api.pushStream(name)).post("/api/v1/streams").then().statusCode(201)
                .body("nodeId", equalTo(edge)).extract().jsonPath();
        String id = created.getString("id");
        admin().body(Api.pushStream(name)).post("/api/v1/streams").then().statusCode(409);
        admin().get("/api/v1/streams/" + id).then().statusCode(200).body("name", equalTo(name));
        admin().body(Map.of("name", name, "stages", List.of(Map.of("type", "grayscale")))).put("/api/v1/streams/" + id)
                .then().statusCode(200).body("version", equalTo(created.getInt("version") + 1));
        String comp = admin().body(Map.of("name", unique("pg-comp"), "inputs", List.of(Map.of("stream", name))))
                .post("/api/v1/compositions").then().statusCode(201).extract().path("id");
        admin().delete("/api/v1/streams/" + id).then().statusCode(409);
        admin().delete("/api/v1/compositions/" + comp).then().statusCode(204);
        admin().delete("/api/v1/streams/" + id).then().statusCode(204);
        admin().get("/api/v1/streams/" + id).then().statusCode(404);
        admin().get("/api/v1/compositions/" + comp).then().statusCode(404);
    }

    @Test
    void playbackKeysRotateAndSignOnPostgres() {
        String edge = unique("pg-pb");
        List<String> before = beat(edge, "EDGE", 19_202, 1e12).getList("playbackKeys", String.class);
        assertThat(before).isNotEmpty();
        admin().post("/api/v1/playback-keys/rotate").then().statusCode(200);
        List<String> after = beat(edge, "EDGE", 19_202, 1e12).getList("playbackKeys", String.class);
        assertThat(after).hasSize(2).element(1).isEqualTo(before.get(0));
        String id = admin().body(Map.of("name", unique("pg-vault"), "output", Map.of("playback", "signed")))
                .post("/api/v1/streams").then().statusCode(201).extract().path("id");
        String name = admin().get("/api/v1/streams/" + id).then().extract().path("name");
        String token = admin().body(Map.of("ttlSeconds", 60)).post("/api/v1/streams/" + id + "/playback-tokens")
                .then().statusCode(200).extract().path("token");
        assertThat(com.streamloom.spec.PlaybackToken.check(after, com.streamloom.spec.PlaybackToken.Kind.STREAM,
                name, token, clock.instant().getEpochSecond())).isEqualTo(com.streamloom.spec.PlaybackToken.Verdict.VALID);
    }

    @Test
    void webhookDeliveriesRunOnPostgres() throws Exception {
        try (com.streamloom.control.webhook.Receiver r =
                     new com.streamloom.control.webhook.Receiver(n -> n == 0 ? 500 : 200, 0)) {
            String hook = admin().body(Map.of("url", r.url("/pg"), "events", List.of("node.down"),
                    "secret", "pg-secret-Wq7Lm3Xz9Kc2")).post("/api/v1/webhooks").then().statusCode(201)
                    .extract().path("id");
            String key = unique("pg-down");
            events.note("node.down", key, Map.of("nodeId", "pg-node"));
            events.note("node.down", key, Map.of("nodeId", "pg-node")); // the same event twice: one delivery
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
                clock.advance(java.time.Duration.ofMillis(200));
                admin().get("/api/v1/webhooks/" + hook + "/deliveries").then().statusCode(200)
                        .body("size()", equalTo(1)).body("[0].state", equalTo("delivered"))
                        .body("[0].tried.statusCode", equalTo(List.of(500, 200)));
            });
            admin().delete("/api/v1/webhooks/" + hook).then().statusCode(204);
        }
    }

    @Test
    void everythingSurvivesARestart() {
        RestartTest.RestartScenario.run(registry, index, clock);
    }
}
