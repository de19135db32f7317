package com.streamloom.node.http;

import com.streamloom.media.hls.HlsStreams;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariant: reads are open to any origin; writes are allowed from the configured origins only (none by default). */
class MediaHttpCorsTest {
    static final String TRUSTED = "https://studio.example.com";
    static final String STRANGER = "https://evil.example.net";
    static final HttpClient client = HttpClient.newHttpClient();
    static MediaHttpServer closedServer;
    static MediaHttpServer listingServer;

    @BeforeAll
    static void start() throws Exception {
        closedServer = server(List.of());
        listingServer = server(List.of(TRUSTED));
    }

    private static MediaHttpServer server(List<String> writeOrigins) throws InterruptedException {
        MediaHttpServer server = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1")
                .withCorsAllowedOrigins(writeOrigins), new HlsStreams(), null);
        server.route(HttpMethod.GET, "/api/streams", req -> ApiResponse.json(List.of()));
        server.route(HttpMethod.POST, "/api/streams/{name}/captions", req -> ApiResponse.json(202, Map.of("ok", true)));
        server.route(HttpMethod.PUT, "/api/streams/{name}", req -> ApiResponse.json(Map.of("ok", true)));
        return server.start();
    }

    @AfterAll
    static void stop() {
        closedServer.close();
        listingServer.close();
    }

    @Test
    void readsAllowAnyOrigin() throws Exception {
        HttpResponse<String> status = send(closedServer, "GET", "/api/streams", STRANGER);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue("access-control-allow-origin")).hasValue("*");
        HttpResponse<String> missingPlaylist = send(closedServer, "GET", "/hls/cam-1/index.m3u8", STRANGER);
        assertThat(missingPlaylist.headers().firstValue("access-control-allow-origin")).hasValue("*");
    }

    @Test
    void writesAllowNoOriginByDefault() throws Exception {
        for (String method : List.of("POST", "PUT")) {
            String path = method.equals("POST") ? "/api/streams/cam-1/captions" : "/api/streams/cam-1";
            HttpResponse<String> response = send(closedServer, method, path, STRANGER);
            assertThat(response.headers().firstValue("access-control-allow-origin")).as(method).isEmpty();
        }
    }

    @Test
    void preflightOfAWriteFromAnUnlistedOriginAllowsNothing() throws Exception {
        for (MediaHttpServer server : List.of(closedServer, listingServer)) {
            HttpResponse<String> response = preflight(server, STRANGER, "POST");
            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
            assertThat(response.headers().firstValue("access-control-allow-methods")).isEmpty();
        }
    }

    @Test
    void preflightOfAReadAllowsAnyOriginButNoWriteMethod() throws Exception {
        HttpResponse<String> response = preflight(closedServer, STRANGER, "GET");
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(response.headers().firstValue("access-control-allow-methods").orElseThrow())
                .contains("GET").doesNotContain("POST").doesNotContain("PUT").doesNotContain("DELETE");
    }

    @Test
    void aListedOriginMayWrite() throws Exception {
        HttpResponse<String> pre = preflight(listingServer, TRUSTED, "PUT");
        assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue(TRUSTED);
        assertThat(pre.headers().firstValue("access-control-allow-methods").orElseThrow()).contains("PUT");
        assertThat(pre.headers().firstValue("access-control-allow-headers").orElseThrow()).contains("Authorization");
        HttpResponse<String> write = send(listingServer, "POST", "/api/streams/cam-1/captions", TRUSTED);
        assertThat(write.statusCode()).isEqualTo(202);
        assertThat(write.headers().firstValue("access-control-allow-origin")).hasValue(TRUSTED);
        assertThat(write.headers().firstValue("vary")).hasValue("Origin");
    }

    @Test
    void aBadPreflightMethodIsA400() throws Exception {
        HttpResponse<String> response = preflight(closedServer, STRANGER, "NOT A METHOD");
        assertThat(response.statusCode()).isEqualTo(400);
    }

    private static HttpResponse<String> preflight(MediaHttpServer server, String origin, String method)
            throws Exception {
        return client.send(HttpRequest.newBuilder(uri(server, "/api/streams/cam-1/captions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", method).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(MediaHttpServer server, String method, String path, String origin)
            throws Exception {
        HttpRequest.BodyPublisher body = method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString("{\"text\": \"hello\"}");
        return client.send(HttpRequest.newBuilder(uri(server, path)).method(method, body).header("Origin", origin)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(MediaHttpServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
