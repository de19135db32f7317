package com.streamloom.control;

import com.streamloom.control.cluster.PlaybackKeyRing;
import com.streamloom.spec.PlaybackToken;
import com.streamloom.spec.PlaybackToken.Kind;
import com.streamloom.spec.PlaybackToken.Verdict;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A playback token from the control API opens exactly its own signed output on the node, which verifies it with the
 * keys of its heartbeat answer alone; a key rotation keeps the previous key accepted for the grace period.
 */
@QuarkusTest
class PlaybackTokensTest {
    @Inject
    MutableClock clock;
    @Inject
    PlaybackKeyRing ring;

    static List<String> keysOf(JsonPath desired) {
        return desired.getList("playbackKeys", String.class);
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    @Test
    void aTokenForASignedStreamIsVerifiedWithTheHeartbeatKeysAndOpensOnlyThatStream() {
        String edge = unique("pb-edge");
        beat(edge, "EDGE", 19_301, 1e12);
        String name = unique("vault");
        String id = admin().body(Map.of("name", name, "output", Map.of("playback", "signed")))
                .post("/api/v1/streams").then().statusCode(201).body("spec.output.playback", equalTo("signed"))
                .extract().path("id");
        JsonPath issued = admin().body(Map.of("ttlSeconds", 600)).post("/api/v1/streams/" + id + "/playback-tokens")
                .then().statusCode(200).body("playback", equalTo("signed")).extract().jsonPath();
        String token = issued.getString("token");
        assertThat(Instant.parse(issued.getString("expiresAt")).getEpochSecond()).isEqualTo(now() + 600);
        String playbackUrl = admin().get("/api/v1/streams/" + id).then().statusCode(200).extract().path("playbackUrl");
        assertThat(playbackUrl).endsWith("/hls/" + name + "/index.m3u8");
        assertThat(issued.getString("playbackUrl")).isEqualTo(playbackUrl + "?token=" + token);

        List<String> keys = keysOf(beat(edge, "EDGE", 19_301, 1e12));
        assertThat(keys).hasSize(1);
        assertThat(PlaybackToken.check(keys, Kind.STREAM, name, token, now())).isEqualTo(Verdict.VALID);
        assertThat(PlaybackToken.check(keys, Kind.STREAM, name + "x", token, now())).isEqualTo(Verdict.WRONG_SIGNATURE);
        assertThat(PlaybackToken.check(keys, Kind.COMPOSITION, name, token, now())).isEqualTo(Verdict.WRONG_SIGNATURE);
        assertThat(PlaybackToken.check(keys, Kind.STREAM, name, token, now() + 600)).isEqualTo(Verdict.EXPIRED);

        // the default lifetime when none is asked for
        String byDefault = admin().post("/api/v1/streams/" + id + "/playback-tokens").then().statusCode(200)
                .extract().path("expiresAt");
        assertThat(Instant.parse(byDefault).getEpochSecond()).isEqualTo(now() + 3600);
    }

    @Test
    void aCompositionsTokenIsAComposition() {
        String input = unique("pb-in");
        admin().body(Map.of("name", input)).post("/api/v1/streams").then().statusCode(201);
        String name = unique("pb-wall");
        String id = admin().body(Map.of("name", name, "inputs", List.of(Map.of("stream", input)),
                        "output", Map.of("playback", "signed"))).post("/api/v1/compositions")
                .then().statusCode(201).extract().path("id");
        String token = admin().body(Map.of("ttlSeconds", 60)).post("/api/v1/compositions/" + id + "/playback-tokens")
                .then().statusCode(200).body("playback", equalTo("signed")).extract().path("token");
        List<String> keys = keysOf(beat(unique("pb-comp"), "COMPOSITOR", 19_302, 1e12));
        assertThat(PlaybackToken.check(keys, Kind.COMPOSITION, name, token, now())).isEqualTo(Verdict.VALID);
        assertThat(PlaybackToken.check(keys, Kind.STREAM, name, token, now())).isEqualTo(Verdict.WRONG_SIGNATURE);
    }

    @Test
    void badRequestsNameTheirField() {
        String id = admin().body(Map.of("name", unique("pb-bad"))).post("/api/v1/streams").then().statusCode(201)
                .extract().path("id");
        for (long ttl : List.of(0L, -5L, Duration.ofHours(12).toSeconds() + 1)) {
            admin().body(Map.of("ttlSeconds", ttl)).post("/api/v1/streams/" + id + "/playback-tokens")
                    .then().statusCode(400).body("field", equalTo("ttlSeconds"));
        }
        admin().body(Map.of("ttlSeconds", 60)).post("/api/v1/streams/no-such-id/playback-tokens")
                .then().statusCode(404);
        admin().body(Map.of("name", unique("pb-bad"), "output", Map.of("playback", "private")))
                .post("/api/v1/streams").then().statusCode(400).body("field", equalTo("output.playback"));
        // a public stream's token is given too (it plays without one) and says so
        admin().body(Map.of("ttlSeconds", 60)).post("/api/v1/streams/" + id + "/playback-tokens")
                .then().statusCode(200).body("playback", equalTo("public"));
    }

    @Test
    void aRotationKeepsThePreviousKeyForTheGracePeriodAndTwoDropItAtOnce() throws Exception {
        LogCapture logs = LogCapture.install();
        try {
            String edge = unique("pb-rot");
            String name = unique("rot");
            String id = admin().body(Map.of("name", name, "output", Map.of("playback", "signed")))
                    .post("/api/v1/streams").then().statusCode(201).extract().path("id");
            clock.advance(Duration.ofSeconds(6)); // any key made earlier in this run is active
            String before = admin().post("/api/v1/streams/" + id + "/playback-tokens").then().statusCode(200)
                    .extract().path("token");
            JsonPath first = beat(edge, "EDGE", 19_303, 1e12);
            String oldKey = keysOf(first).get(0);

            JsonPath rotation = admin().post("/api/v1/playback-keys/rotate").then().statusCode(200).extract().jsonPath();
            assertThat(Instant.parse(rotation.getString("previousKeyValidUntil")))
                    .isEqualTo(clock.instant().plus(Duration.ofHours(12)));
            JsonPath second = beat(edge, "EDGE", 19_303, 1e12);
            List<String> keys = keysOf(second);
            assertThat(keys).hasSize(2).element(1).isEqualTo(oldKey);
            assertThat(second.getLong("version")).isGreaterThan(first.getLong("version"));
            assertThat(PlaybackToken.check(keys, Kind.STREAM, name, before, now())).isEqualTo(Verdict.VALID);
            // until every node can have the new key, tokens are still signed with the previous one
            String during = admin().post("/api/v1/streams/" + id + "/playback-tokens").then().statusCode(200)
                    .extract().path("token");
            assertThat(PlaybackToken.check(List.of(oldKey), Kind.STREAM, name, during, now())).isEqualTo(Verdict.VALID);
            clock.advance(Duration.ofSeconds(6));
            String after = admin().post("/api/v1/streams/" + id + "/playback-tokens").then().statusCode(200)
                    .extract().path("token");
            assertThat(PlaybackToken.check(List.of(keys.get(0)), Kind.STREAM, name, after, now()))
                    .isEqualTo(Verdict.VALID);

            // the grace period ends: only the new key is left
            clock.advance(Duration.ofHours(12));
            ring.refresh();
            assertThat(keysOf(beat(edge, "EDGE", 19_303, 1e12))).containsExactly(keys.get(0));

            // two rotations in a row: the key before them is gone at once
            admin().post("/api/v1/playback-keys/rotate").then().statusCode(200);
            admin().post("/api/v1/playback-keys/rotate").then().statusCode(200);
            List<String> rotatedTwice = keysOf(beat(edge, "EDGE", 19_303, 1e12));
            assertThat(rotatedTwice).hasSize(2).doesNotContain(keys.get(0), oldKey);

            // no key in any answer but the node's heartbeat, nor in the log
            String nodeAnswer = admin().get("/api/v1/nodes/" + edge).then().statusCode(200).extract().asString();
            String log = Files.readString(Path.of("target", "quarkus-test.log"));
            for (String key : List.of(oldKey, keys.get(0), rotatedTwice.get(0), rotatedTwice.get(1))) {
                assertThat(nodeAnswer).doesNotContain(key);
                assertThat(rotation.prettify()).doesNotContain(key);
                assertThat(log).doesNotContain(key);
                assertThat(logs.messages()).noneMatch(m -> m.contains(key));
            }
        } finally {
            logs.uninstall();
        }
    }
}
