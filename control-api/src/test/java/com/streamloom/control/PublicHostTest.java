package com.streamloom.control;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.unique;
import static com.streamloom.control.PublicHostProfile.PUBLIC_HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.matchesPattern;

/** Every URL shown to people carries the public host, never the address a node advertises to the cluster. */
@QuarkusTest
@TestProfile(PublicHostProfile.class)
class PublicHostTest {

    @Test
    void ingestAndPlaybackUrlsUseThePublicHost() {
        String edge = unique("pub-edge");
        beat(edge, "EDGE", 19_301, 1e12); // advertises 127.0.0.1:19301 (HTTP) and :20301 (RTMP)
        String name = unique("pub");
        // placed on one of this class's edges, each advertising 127.0.0.1:193xx (HTTP) and :203xx (RTMP)
        String id = admin().body(Api.pushStream(name)).post("/api/v1/streams").then().statusCode(201)
                .body("ingestUrl", matchesPattern("rtmp://" + PUBLIC_HOST + ":203\\d\\d/live"))
                .body("playbackUrl", matchesPattern("http://" + PUBLIC_HOST + ":193\\d\\d/hls/" + name + "/index.m3u8"))
                .extract().path("id");
        String playback = admin().get("/api/v1/streams/" + id).then().statusCode(200).extract().path("playbackUrl");
        String token = admin().body(Map.of()).post("/api/v1/streams/" + id + "/playback-tokens").then()
                .statusCode(200).extract().path("playbackUrl");
        assertThat(token).startsWith(playback + "?token=");

        String compositor = unique("pub-comp");
        beat(compositor, "COMPOSITOR", 19_302, 1e12);
        admin().body(Map.of("name", unique("pub-c"), "inputs", List.of(Map.of("stream", name))))
                .post("/api/v1/compositions").then().statusCode(201)
                .body("playbackUrl", org.hamcrest.Matchers.startsWith("http://" + PUBLIC_HOST + ":19302/hls/"));
        // (forwardUrls in a spec stay the compositor's cluster address: the edge pushes there, not a person)
        io.restassured.path.json.JsonPath all = admin().get("/api/v1/streams").jsonPath();
        assertThat(all.getList("playbackUrl", String.class)).isNotEmpty()
                .allSatisfy(u -> assertThat(u).startsWith("http://" + PUBLIC_HOST + ":"));
        assertThat(all.getList("ingestUrl", String.class)).isNotEmpty()
                .allSatisfy(u -> assertThat(u).startsWith("rtmp://" + PUBLIC_HOST + ":"));
    }

    @Test
    void theDashboardMayPreviewFromThePublicHost() {
        beat(unique("pub-csp"), "EDGE", 19_303, 1e12);
        String csp = RestAssured.given().get("/").then().extract().header("Content-Security-Policy");
        assertThat(csp).contains("http://" + PUBLIC_HOST + ":19303");
    }
}
