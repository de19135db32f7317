package com.streamloom.edge;

import com.streamloom.node.NodeConfig;
import com.streamloom.node.NodeTokenFile;
import com.streamloom.media.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariant: a standalone edge's write API always needs a token; without one given, the generated one. */
class EdgeWriteApiTokenTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String KEY = "Rk4mW8pZ2qL6vN1xT9bC3hJ7";

    @TempDir
    Path dir;

    @Test
    void anEdgeWithoutAnyTokenKeepsItsWriteApiClosed() throws Exception {
        try (EdgeNode edge = EdgeNode.start(load(writeConfig()))) {
            assertThat(caption(edge, null).statusCode()).isEqualTo(401);
            assertThat(caption(edge, "Bearer ").statusCode()).isEqualTo(403);
            assertThat(caption(edge, "Bearer anything-at-all-0123456789abc").statusCode()).isEqualTo(403);
            assertThat(HTTP.send(HttpRequest.newBuilder(uri(edge, "/api/streams")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("reads stay open").isEqualTo(200);
        }
    }

    @Test
    void theGeneratedTokenOpensTheWriteApiAcrossRestartsAndIsShownOnce() throws Exception {
        Path cfg = writeConfig();
        ByteArrayOutputStream firstConsole = new ByteArrayOutputStream();
        NodeConfig first = NodeTokenFile.ensureToken(load(cfg), cfg, Map.of(), console(firstConsole));
        String token = first.nodeToken();
        assertThat(firstConsole.toString(StandardCharsets.UTF_8)).contains(token);
        try (EdgeNode edge = EdgeNode.start(first)) {
            assertThat(caption(edge, null).statusCode()).isEqualTo(401);
            assertTokenAccepted(caption(edge, "Bearer " + token));
        }

        ByteArrayOutputStream laterConsole = new ByteArrayOutputStream();
        NodeConfig later = NodeTokenFile.ensureToken(load(cfg), cfg, Map.of(), console(laterConsole));
        assertThat(laterConsole.toString(StandardCharsets.UTF_8)).doesNotContain(token);
        try (EdgeNode edge = EdgeNode.start(later)) {
            assertTokenAccepted(caption(edge, "Bearer " + token));
            assertThat(caption(edge, "Bearer " + token.substring(1)).statusCode()).isEqualTo(403);
        }
    }

    /**
     * The token opened the route: the answer is about the stream (no publisher, so a caption would not be seen:
     * 409), not about the credential (401, 403).
     */
    private static void assertTokenAccepted(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
        assertThat(answer.body()).contains("not live");
    }

    private Path writeConfig() throws Exception {
        return Files.writeString(dir.resolve("edge.json"), """
                {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1",
                 "streams": [{"key": "%s", "spec": {"name": "studio", "stages": []}}]}
                """.formatted(KEY));
    }

    private static NodeConfig load(Path cfg) throws Exception {
        return NodeConfig.load(cfg, Map.of("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1935, 8081);
    }

    private static HttpResponse<String> caption(EdgeNode edge, String authorization) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri(edge, "/api/streams/studio/captions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"hello\"}"));
        if (authorization != null) {
            req.header("Authorization", authorization);
        }
        return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(EdgeNode edge, String path) {
        return URI.create("http://127.0.0.1:" + edge.httpPort() + path);
    }

    private static PrintStream console(ByteArrayOutputStream into) {
        return new PrintStream(into, true, StandardCharsets.UTF_8);
    }
}
