package com.streamloom.control.auth;

import com.streamloom.control.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every answer carries the browser hardening headers; the dashboard's policy allows no inline code and no foreign origin but the cluster's nodes. */
@QuarkusTest
class SecurityHeadersTest {

    @Test
    void theDashboardRunsOnlyItsOwnScriptsAndCannotBeFramed() {
        for (String path : new String[]{"/", "/dashboard.js", "/vendor/hls.min.js"}) {
            var answer = RestAssured.given().get(path).then().statusCode(200).extract();
            String csp = answer.header("Content-Security-Policy");
            assertThat(csp).as(path).contains("default-src 'none'", "script-src 'self';", "style-src 'self';",
                    "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'");
            assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval", "*");
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
        }
    }

    @Test
    void refusalsAndApiAnswersCarryTheHeadersToo() {
        var refused = RestAssured.given().get("/api/v1/streams").then().statusCode(401).extract();
        assertThat(refused.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(refused.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        var api = Api.admin().get("/api/v1/streams").then().statusCode(200).extract();
        assertThat(api.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void previewsMayLoadMediaFromTheClustersNodesOnly() {
        String node = Api.unique("csp-node");
        Api.beat(node, "EDGE", 9431, 1e9);
        String csp = RestAssured.given().get("/").then().extract().header("Content-Security-Policy");
        assertThat(csp).contains("connect-src 'self' ").contains("http://127.0.0.1:9431")
                .contains("media-src 'self' blob: ");
        // the stream list's thumbnails come from the nodes too (every node heard from, this one among them)
        String imgSrc = java.util.Arrays.stream(csp.split(";")).map(String::strip)
                .filter(d -> d.startsWith("img-src ")).findFirst().orElseThrow();
        assertThat(imgSrc).startsWith("img-src 'self' data: ").contains(" http://127.0.0.1:9431");
        // only the page names them: a heartbeat answer's header stays small however many nodes there are
        String beat = Api.node(node).body(Api.heartbeat(node, "EDGE", 9431, 1e9))
                .post("/api/v1/nodes/" + node + "/heartbeat").then().statusCode(200).extract()
                .header("Content-Security-Policy");
        assertThat(beat).contains("default-src 'none'", "frame-ancestors 'none'").doesNotContain("127.0.0.1:9431");
        assertThat(SecurityHeaders.origin("ftp://x.example/")).isEmpty();
        assertThat(SecurityHeaders.origin("https://edge.example:8443/hls")).contains("https://edge.example:8443");
    }

    @Test
    void swaggerUiIsNotServedUnlessTurnedOn() {
        // Without a token the path is public but there is nothing there; with the admin token it is not found too.
        RestAssured.given().get("/q/swagger-ui").then().statusCode(404);
        Api.admin().get("/q/swagger-ui/").then().statusCode(404);
    }
}
