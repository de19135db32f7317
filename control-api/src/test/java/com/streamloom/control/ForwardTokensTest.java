package com.streamloom.control;

import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.service.StreamKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An edge's push to a compositor carries a token for that one composition input, found only in the edge's desired
 * state; the compositor gets only each input's token hash; no answer to people carries a token.
 */
@QuarkusTest
class ForwardTokensTest {
    static final double ROOMY = 1e12;

    @Inject
    MutableClock clock;
    @Inject
    NodeRegistry registry;

    @Test
    void eachCompositionInputHasItsOwnTokenWhichOnlyTheEdgeAndTheCompositorsHashSee() {
        TestCluster.expireAllNodes(clock, registry);
        String edge = unique("fwd-edge");
        String compositor = unique("fwd-comp");
        beat(edge, "EDGE", 19_401, ROOMY);
        beat(compositor, "COMPOSITOR", 19_402, ROOMY);
        String s1 = unique("fwd1");
        String s2 = unique("fwd2");
        admin().body(Api.pullStream(s1)).post("/api/v1/streams").then().statusCode(201);
        admin().body(Api.pullStream(s2)).post("/api/v1/streams").then().statusCode(201);
        String comp = admin().body(Map.of("name", unique("fwd-wall"),
                        "inputs", List.of(Map.of("stream", s1), Map.of("stream", s2))))
                .post("/api/v1/compositions").then().statusCode(201).extract().path("id");

        JsonPath edgeState = beat(edge, "EDGE", 19_401, ROOMY);
        String token1 = tokenOf(forwardUrl(edgeState, s1), "rtmp://127.0.0.1:20402/live/" + s1);
        String token2 = tokenOf(forwardUrl(edgeState, s2), "rtmp://127.0.0.1:20402/live/" + s2);
        assertThat(token1).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(token2).doesNotContain(Api.JOIN_TOKEN);

        // The compositor holds each input's hash, not the token: it can check a push but not mint one.
        JsonPath compositorState = beat(compositor, "COMPOSITOR", 19_402, ROOMY);
        Map<String, String> hashes = compositorState.getMap(
                "compositions.find { it.id == '" + comp + "' }.inputTokenSha256", String.class, String.class);
        assertThat(hashes).containsOnly(Map.entry(s1, StreamKeys.hash(token1)), Map.entry(s2, StreamKeys.hash(token2)));
        assertThat(compositorState.prettify()).doesNotContain(token1).doesNotContain(token2);

        // People see where each stream goes, never the token.
        String streams = admin().get("/api/v1/streams").then().statusCode(200).extract().asString();
        assertThat(streams).contains("rtmp://127.0.0.1:20402/live/" + s1);
        for (String path : List.of("/api/v1/streams", "/api/v1/streams/" + admin().get("/api/v1/streams").jsonPath()
                .getString("find { it.name == '" + s1 + "' }.id"), "/api/v1/compositions",
                "/api/v1/compositions/" + comp, "/api/v1/nodes", "/api/v1/nodes/" + edge)) {
            assertThat(admin().get(path).then().statusCode(200).extract().asString()).as(path)
                    .doesNotContain(token1).doesNotContain(token2).doesNotContain("token=")
                    .doesNotContain(Api.JOIN_TOKEN).doesNotContain(Api.credential(edge));
        }
        admin().delete("/api/v1/compositions/" + comp).then().statusCode(204);
    }

    private static String forwardUrl(JsonPath desired, String stream) {
        List<String> urls = desired.getList("streams.find { it.spec.name == '" + stream + "' }.spec.output.forwardUrls",
                String.class);
        assertThat(urls).hasSize(1);
        return urls.get(0);
    }

    private static String tokenOf(String url, String target) {
        assertThat(url).startsWith(target + "?token=");
        return url.substring((target + "?token=").length());
    }
}
