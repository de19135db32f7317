package com.streamloom.control;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL really stopped for 10 s: calls that need it answer 503 with the JSON error body within the bounded
 * connection wait, readiness reports down, nodes' heartbeats are still answered with their work, and everything
 * recovers by itself once the server is back.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.OwnPostgres.class)
class DatabaseOutageTest {
    /** The application on a PostgreSQL server of this test's own. */
    public static class OwnPostgres implements QuarkusTestProfile {
        /** The kind is fixed at build time; the server's URL comes from {@link PrivatePostgres} at start. */
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.db-kind", "postgresql");
        }

        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(PrivatePostgres.class));
        }
    }

    @Test
    void aStoppedDatabaseIs503UntilItIsBack() throws Exception {
        String edge = unique("outage-edge");
        beat(edge, "EDGE", 19_701, 1e14);
        String id = admin().body(Api.pullStream(unique("before"))).post("/api/v1/streams").then().statusCode(201)
                .extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);

        PrivatePostgres.current().stopServer();
        long stoppedAt = System.nanoTime();
        try {
            long start = System.nanoTime();
            Response refused = admin().body(Api.pullStream(unique("during"))).post("/api/v1/streams");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.jsonPath().getInt("status")).isEqualTo(503);
            assertThat(refused.jsonPath().getString("error")).contains("database is unavailable");
            assertThat(refused.header("Retry-After")).isNotNull();
            // bounded: the 5 s connection wait, not a hang (generous for a loaded machine)
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> RestAssured.get("/q/health/ready").statusCode() == 503);
            // the node is answered from memory and keeps its stream
            assertThat(beat(edge, "EDGE", 19_701, 1e14).getList("streams.id", String.class)).contains(id);
            admin().get("/api/v1/streams/" + id).then().statusCode(200);
            long left = Duration.ofSeconds(10).toMillis() - Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis();
            if (left > 0) {
                Thread.sleep(left);
            }
        } finally {
            PrivatePostgres.current().startServer();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> admin().body(Api.pullStream(unique("after")))
                .post("/api/v1/streams").statusCode() == 201);
        assertThat(beat(edge, "EDGE", 19_701, 1e14).getList("streams.id", String.class)).contains(id);
        admin().get("/api/v1/streams").then().statusCode(200);
    }
}
