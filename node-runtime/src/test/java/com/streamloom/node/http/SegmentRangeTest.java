package com.streamloom.node.http;

import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Segments and parts honour a single byte Range (RFC 9110 14): 206 with Content-Range, 416 when unsatisfiable. */
class SegmentRangeTest {
    @TempDir
    static Path dir;
    static MediaHttpServer server;
    static byte[] segment;
    static byte[] firstPart;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        HlsStreams streams = new HlsStreams();
        HlsPackager packager = new HlsPackager("cam-1", new HlsSettings(1_000_000, 3,
                HlsSettings.DEFAULT_PART_MICROS, null), Clock.systemUTC());
        streams.register(packager);
        for (MediaPacket p : PacketsForTests.packets(dir, "src", Source.small(2))) {
            packager.accept(p);
        }
        segment = packager.segment("0.ts").data();
        java.nio.ByteBuffer part = packager.part(0, 0);
        firstPart = new byte[part.remaining()];
        part.duplicate().get(firstPart);
        server = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1"), streams, null).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void wholeSegmentAnnouncesRanges() throws Exception {
        HttpResponse<byte[]> response = get(null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("accept-ranges")).hasValue("bytes");
        assertThat(response.body()).isEqualTo(segment);
    }

    @Test
    void partsHonourRangesWithoutAnnouncingThem() throws Exception {
        HttpResponse<byte[]> whole = get("/hls/cam-1/0.0.ts", null);
        assertThat(whole.statusCode()).isEqualTo(200);
        // hls.js in low-latency mode stops loading parts that announce ranges
        assertThat(whole.headers().firstValue("accept-ranges")).isEmpty();
        HttpResponse<byte[]> tail = get("/hls/cam-1/0.0.ts", "bytes=-100");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(firstPart, firstPart.length - 100, firstPart.length));
    }

    @Test
    void firstAndLastBytePositions() throws Exception {
        assertPart("bytes=10-99", 10, 99);
        assertPart("bytes=0-0", 0, 0);
        // a last position past the end is cut to the end (RFC 9110 14.1.2)
        assertPart("bytes=100-" + (segment.length + 500), 100, segment.length - 1);
    }

    @Test
    void openEndedRange() throws Exception {
        assertPart("bytes=188-", 188, segment.length - 1);
    }

    @Test
    void suffixRange() throws Exception {
        assertPart("bytes=-376", segment.length - 376, segment.length - 1);
        // a suffix longer than the body is the whole body
        assertPart("bytes=-" + (segment.length * 2), 0, segment.length - 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=999999999-", "bytes=999999999-1000000000", "bytes=-0"})
    void unsatisfiableRangeIs416(String range) throws Exception {
        HttpResponse<byte[]> response = get(range);
        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(response.headers().firstValue("content-range")).hasValue("bytes */" + segment.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"items=0-10", "bytes=0-10,20-30", "bytes=abc", "bytes=20-10"})
    void rangesThisServerDoesNotServeAreIgnored(String range) throws Exception {
        HttpResponse<byte[]> response = get(range);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(segment);
    }

    private static void assertPart(String range, int first, int last) throws Exception {
        HttpResponse<byte[]> response = get(range);
        assertThat(response.statusCode()).as(range).isEqualTo(206);
        assertThat(response.headers().firstValue("content-range")).as(range)
                .hasValue("bytes " + first + "-" + last + "/" + segment.length);
        assertThat(response.headers().firstValue("content-type")).hasValue("video/mp2t");
        assertThat(response.body()).as(range).isEqualTo(Arrays.copyOfRange(segment, first, last + 1));
    }

    private static HttpResponse<byte[]> get(String range) throws Exception {
        return get("/hls/cam-1/0.ts", range);
    }

    private static HttpResponse<byte[]> get(String path, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + path)).timeout(Duration.ofSeconds(10));
        if (range != null) {
            request.header("Range", range);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
