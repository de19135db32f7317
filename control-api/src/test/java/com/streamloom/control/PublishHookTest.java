package com.streamloom.control;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** With a publish hook set, a publish is accepted only on a 2xx of the hook; a refusal or silence refuses; answers are cached. */
@QuarkusTest
@TestProfile(PublishHookProfile.class)
class PublishHookTest {
    private static final double ROOMY = 1e14;

    @Inject
    MutableClock clock;

    @Test
    void theHookDecidesFailsClosedAndIsCachedBriefly() {
        String edge = unique("hook-edge");
        beat(edge, "EDGE", 19_801, ROOMY);
        String name = unique("hooked");
        String key = admin().body(Api.pushStream(name)).post("/api/v1/streams").then().statusCode(201)
                .extract().path("streamKey");

        PublishHookProfile.answer = 204;
        int asked = PublishHookProfile.ASKED.size();
        assertThat(publish(edge, key, "203.0.113.7").getBoolean("allowed")).isTrue();
        assertThat(PublishHookProfile.ASKED).hasSize(asked + 1);
        JsonPath body = JsonPath.from(PublishHookProfile.ASKED.get(asked));
        assertThat(body.getString("stream")).isEqualTo(name);
        assertThat(body.getString("clientAddress")).isEqualTo("203.0.113.7");
        assertThat(body.getString("protocol")).isEqualTo("rtmp");

        // the same stream, address and protocol within the cache TTL: not asked again, even though it would refuse now
        PublishHookProfile.answer = 403;
        assertThat(publish(edge, key, "203.0.113.7").getBoolean("allowed")).isTrue();
        assertThat(PublishHookProfile.ASKED).hasSize(asked + 1);

        // another address: asked, and refused
        JsonPath refused = publish(edge, key, "203.0.113.8");
        assertThat(refused.getBoolean("allowed")).isFalse();
        assertThat(refused.getString("reason")).contains("publish hook").contains("403");

        // no answer within 2 s: refused (fail closed), in time
        PublishHookProfile.answer = -1;
        long started = System.nanoTime();
        JsonPath silent = publish(edge, key, "203.0.113.9");
        assertThat(silent.getBoolean("allowed")).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(4_500));

        // past the cache TTL the hook is asked again
        PublishHookProfile.answer = 403;
        clock.advance(Duration.ofSeconds(11));
        beat(edge, "EDGE", 19_801, ROOMY);
        assertThat(publish(edge, key, "203.0.113.7").getBoolean("allowed")).isFalse();
    }

    private static JsonPath publish(String edge, String key, String clientAddress) {
        Map<String, Object> check = new HashMap<>(Map.of("app", "live", "streamKey", key, "protocol", "rtmp"));
        check.put("clientAddress", clientAddress);
        return Api.node(edge).body(check).post("/api/v1/nodes/" + edge + "/publish-check").then().statusCode(200)
                .extract().jsonPath();
    }
}
