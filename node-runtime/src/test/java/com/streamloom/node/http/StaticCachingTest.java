package com.streamloom.node.http;

import com.streamloom.media.hls.HlsStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Static files carry validators and a cache lifetime: scripts are cached briefly, the page is always revalidated. */
class StaticCachingTest {
    static MediaHttpServer server;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1"), new HlsStreams(), null)
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void scriptsAreCacheableAndRevalidatedWith304() throws Exception {
        HttpResponse<String> first = get("/static/vendor/hls.min.js", null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("cache-control").orElseThrow()).contains("max-age=300");
        String lastModified = first.headers().firstValue("last-modified").orElseThrow();
        HttpResponse<String> again = get("/static/vendor/hls.min.js", lastModified);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void thePlayerPageIsRevalidatedOnEveryLoad() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(page.headers().firstValue("last-modified")).isPresent();
    }

    @Test
    void aStaticFolderInTheWorkingDirectoryIsNeverServed() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("static");
        java.nio.file.Path file = dir.resolve("operator-secret.txt");
        boolean made = !java.nio.file.Files.exists(dir);
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(file, "not for the public");
        try {
            HttpResponse<String> answer = get("/static/operator-secret.txt", null);
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.body()).doesNotContain("not for the public");
            assertThat(get("/static/player.js", null).statusCode()).as("the node's own files still are").isEqualTo(200);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
            if (made) {
                java.nio.file.Files.deleteIfExists(dir);
            }
        }
    }

    private static HttpResponse<String> get(String path, String ifModifiedSince) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (ifModifiedSince != null) {
            request.header("If-Modified-Since", ifModifiedSince);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
