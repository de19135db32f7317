package com.streamloom.control.webhook;

import com.streamloom.control.Api;
import com.streamloom.control.MutableClock;
import com.streamloom.control.cluster.LeaseElector;
import com.streamloom.control.cluster.StaleEpochException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

/** Deliveries reach a real receiver signed with the secret, are retried and kept, and a slow receiver delays no other. */
@QuarkusTest
class WebhookDeliveryTest {
    static final String SECRET = "whsec-Qm4Zt8Lp2Xv6Nc9Rb3Kd";

    @Inject
    WebhookEvents events;
    @Inject
    DeliveryOutbox outbox;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MutableClock clock;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (String id : admin().get("/api/v1/webhooks").jsonPath().getList("id", String.class)) {
            admin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    static String register(String url, String... events) {
        return admin().body(Map.of("url", url, "events", List.of(events), "secret", SECRET))
                .post("/api/v1/webhooks").then().statusCode(201).body("$", not(hasKey("secret")))
                .extract().path("id");
    }

    private Receiver receiver(java.util.function.IntUnaryOperator status, long sleepMs) throws Exception {
        Receiver r = new Receiver(status, sleepMs);
        open.add(r);
        return r;
    }

    @Test
    void aDeliveryIsSignedWithTheSecretOverTheTimestampAndBody() throws Exception {
        Receiver r = receiver(n -> 204, 0);
        String id = register(r.url("/hook"), WebhookEvents.NODE_DOWN);
        events.note(WebhookEvents.NODE_DOWN, unique("sig"), Map.of("nodeId", "edge-x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> r.received().size() == 1);
        Receiver.Received got = r.received().get(0);
        // StreamLoom-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">
        String[] parts = got.signature().split(",");
        assertThat(parts[0]).startsWith("t=");
        long t = Long.parseLong(parts[0].substring(2));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + got.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(parts[1]).isEqualTo("v1=" + expected);
        assertThat(Math.abs(t - clock.millis() / 1000)).isLessThanOrEqualTo(300);
        JsonPath body = JsonPath.from(got.body());
        assertThat(body.getString("type")).isEqualTo("node.down");
        assertThat(body.getString("data.nodeId")).isEqualTo("edge-x");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> admin().get("/api/v1/webhooks/" + id
                + "/deliveries").then().statusCode(200).body("[0].state", equalTo("delivered"))
                .body("[0].tried[0].statusCode", equalTo(204)));
        // the secret is write-only
        assertThat(admin().get("/api/v1/webhooks/" + id).asString()).doesNotContain(SECRET);
        assertThat(admin().get("/api/v1/webhooks").asString()).doesNotContain(SECRET);
    }

    @Test
    void aFailedDeliveryIsRetriedWithBackOffUntilItSucceeds() throws Exception {
        Receiver r = receiver(n -> n < 2 ? 500 : 200, 0);
        String id = register(r.url("/flaky"), WebhookEvents.NODE_DOWN);
        events.note(WebhookEvents.NODE_DOWN, unique("retry"), Map.of("nodeId", "edge-y"));
        // the test clock stands still: move it past each back-off
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            clock.advance(Duration.ofMillis(200));
            return r.received().size() >= 3;
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> admin().get("/api/v1/webhooks/" + id
                + "/deliveries").then().statusCode(200).body("[0].state", equalTo("delivered"))
                .body("[0].attempts", equalTo(3))
                .body("[0].tried.statusCode", equalTo(List.of(500, 500, 200))));
        // the same event, retried, carries the same id
        assertThat(r.received().stream().map(x -> JsonPath.from(x.body()).getString("id")).distinct()).hasSize(1);
    }

    @Test
    void aDeadReceiversAttemptsAreKeptWithTheError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String id = register("http://127.0.0.1:" + port + "/gone", WebhookEvents.NODE_DOWN);
        events.note(WebhookEvents.NODE_DOWN, unique("dead"), Map.of("nodeId", "edge-z"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            clock.advance(Duration.ofMillis(200));
            JsonPath d = admin().get("/api/v1/webhooks/" + id + "/deliveries").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(d.getInt("[0].attempts")).isGreaterThanOrEqualTo(2);
            assertThat(d.getString("[0].state")).isEqualTo("pending");
            assertThat(d.getString("[0].tried[0].error")).contains("Connect");
            assertThat(d.getList("[0].tried.statusCode")).containsOnlyNulls();
        });
    }

    @Test
    void aSlowReceiverDelaysNoOtherWebhook() throws Exception {
        Receiver slow = receiver(n -> 200, 10_000);
        Receiver fast = receiver(n -> 200, 0);
        register(slow.url("/slow"), WebhookEvents.NODE_DOWN);
        events.note(WebhookEvents.NODE_DOWN, unique("slow-first"), Map.of("nodeId", "a"));
        await().atMost(Duration.ofSeconds(20)).until(() -> slow.received().size() == 1);
        // the slow receiver now holds its delivery for 10 s; more of its events wait behind it
        events.note(WebhookEvents.NODE_DOWN, unique("slow-second"), Map.of("nodeId", "b"));
        register(fast.url("/fast"), WebhookEvents.NODE_DOWN);
        long started = System.nanoTime();
        events.note(WebhookEvents.NODE_DOWN, unique("both"), Map.of("nodeId", "c"));
        await().atMost(Duration.ofSeconds(20)).until(() -> fast.received().size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        assertThat(slow.received()).hasSize(1);
    }

    @Test
    void aReplicaThatDoesNotLeadClaimsNothingAndTheLeaderSendsOnce() throws Exception {
        Receiver r = receiver(n -> 200, 0);
        register(r.url("/once"), WebhookEvents.NODE_DOWN);
        LeaseElector other = new LeaseElector(dataSource, "control", unique("replica"), Duration.ofSeconds(5));
        String key = unique("once");
        events.note(WebhookEvents.NODE_DOWN, key, Map.of("nodeId", "n"));
        events.note(WebhookEvents.NODE_DOWN, key, Map.of("nodeId", "n")); // seen twice: one delivery
        assertThatThrownBy(() -> outbox.claimDue(other, other.holder(), clock.millis(), clock.millis() + 60_000, 10,
                Set.of())).isInstanceOf(StaleEpochException.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> r.received().size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> r.received().size() == 1);
    }

    @Test
    void badRegistrationsAreRefusedNamingTheField() {
        admin().body(Map.of("url", "http://169.254.169.254/latest", "events", List.of("node.down"), "secret", SECRET))
                .post("/api/v1/webhooks").then().statusCode(400).body("field", equalTo("url"));
        admin().body(Map.of("url", "ftp://127.0.0.1/x", "events", List.of("node.down"), "secret", SECRET))
                .post("/api/v1/webhooks").then().statusCode(400).body("field", equalTo("url"));
        admin().body(Map.of("url", "http://127.0.0.1/x", "events", List.of("stream.exploded"), "secret", SECRET))
                .post("/api/v1/webhooks").then().statusCode(400).body("field", equalTo("events[0]"));
        admin().body(Map.of("url", "http://127.0.0.1/x", "events", List.of("node.down"), "secret", "short"))
                .post("/api/v1/webhooks").then().statusCode(400).body("field", equalTo("secret"));
        // recording.ready is accepted although nothing emits it yet
        register("http://127.0.0.1:9/x", WebhookEvents.RECORDING_READY);
        Api.node(unique("n")).get("/api/v1/webhooks").then().statusCode(403);
        io.restassured.RestAssured.given().get("/api/v1/webhooks").then().statusCode(401);
        admin().get("/api/v1/webhooks/nope/deliveries").then().statusCode(404);
    }
}
