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

    private static HttpResponse<String> get(String path, String ifModifiedSince) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (ifModifiedSince != null) {
            request.header("If-Modified-Since", ifModifiedSince);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
