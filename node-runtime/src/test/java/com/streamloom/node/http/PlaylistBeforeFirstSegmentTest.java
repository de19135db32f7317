package com.streamloom.node.http;

import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.hls.HlsStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream the node serves whose playlist has no segment yet (just started, or restarted) answers 503 with
 * Retry-After, plain or blocking reload, so players retry; only a stream the node does not serve is a 404.
 */
class PlaylistBeforeFirstSegmentTest {
    static MediaHttpServer server;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        HlsStreams streams = new HlsStreams();
        streams.register(new HlsPackager("fresh", new HlsSettings(2_000_000, 3, HlsSettings.DEFAULT_PART_MICROS,
                null), Clock.systemUTC(), HlsPackager.wallClockSequence(Clock.systemUTC())));
        server = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1"), streams, null);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?_HLS_msn=3529271840&_HLS_part=2", "?_HLS_msn=0"})
    void aKnownStreamWithoutSegmentsIsTemporarilyUnavailable(String query) throws Exception {
        HttpResponse<String> response = get("/hls/fresh/index.m3u8" + query);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(response.body()).contains("no segment yet");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?_HLS_msn=5"})
    void anUnknownStreamIsNotFound(String query) throws Exception {
        assertThat(get("/hls/other/index.m3u8" + query).statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
