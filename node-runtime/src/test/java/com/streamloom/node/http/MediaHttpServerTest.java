package com.streamloom.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import com.streamloom.spec.Names;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's HTTP serves HLS, the player page and metrics with the right types and caching, and refuses traversal and bad requests.
 */
class MediaHttpServerTest {
    @TempDir
    static Path dir;
    static MediaHttpServer server;
    static HlsPackager packager;
    static PrometheusMeterRegistry registry;
    static final HttpClient client = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    record Caption(String text) {
    }

    @BeforeAll
    static void start() throws Exception {
        HlsStreams streams = new HlsStreams();
        packager = new HlsPackager("cam-1", new HlsSettings(1_000_000, 3, HlsSettings.DEFAULT_PART_MICROS, null),
                Clock.systemUTC());
        streams.register(packager);
        for (MediaPacket p : PacketsForTests.packets(dir, "src", Source.small(3))) {
            packager.accept(p);
        }
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("streamloom_test_packets_total").increment(7);
        server = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1").withMaxBodyBytes(1024)
                .withIdleTimeout(Duration.ofSeconds(2)), streams, registry);
        server.route(HttpMethod.GET, "/api/streams", request -> ApiResponse.json(List.of(
                Map.of("name", "cam-1", "state", "LIVE", "playbackUrl", "/hls/cam-1/index.m3u8"))));
        server.route(HttpMethod.POST, "/api/streams/{name}/captions", request -> {
            String name = Names.check("name", request.pathParam("name"));
            Caption caption = request.bodyAs(Caption.class);
            if (caption.text().isBlank()) {
                throw ApiException.badRequest("text is empty");
            }
            return ApiResponse.json(202, Map.of("stream", name, "text", caption.text()));
        });
        server.route(HttpMethod.GET, "/api/conflict", request -> {
            throw new ApiException(409, "already live");
        });
        server.route(HttpMethod.GET, "/api/bug", request -> {
            throw new IllegalStateException("handler bug");
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void servesThePlaylistUncachedWithCors() throws Exception {
        HttpResponse<String> response = get("/hls/cam-1/index.m3u8");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(response.body()).isEqualTo(packager.playlist()).contains("0.ts");
    }

    @Test
    void servesSegmentsAsTransportStreamAndCacheable() throws Exception {
        HttpResponse<byte[]> response = client.send(request("/hls/cam-1/0.ts").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("video/mp2t");
        assertThat(response.headers().firstValue("cache-control").orElseThrow()).contains("max-age");
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(response.body()).isEqualTo(packager.segment("0.ts").data());
    }

    @Test
    void headAnswersLikeGetWithoutBody() throws Exception {
        HttpResponse<byte[]> response = client.send(request("/hls/cam-1/0.ts")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("content-length"))
                .hasValue(packager.segment("0.ts").data().length);
        assertThat(response.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hls/nobody/index.m3u8", "/hls/cam-1/999.ts", "/hls/cam-1/0.mp4", "/hls/cam-1",
        "/nothing", "/static/nothing.js", "/static/vendor", "/api/streams/cam-1"})
    void unknownThingsAre404WithJsonError(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json.readTree(response.body()).get("error").asText()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hls/../etc/passwd", "/hls/%2e%2e/%2e%2e/etc/passwd", "/hls/cam-1/..%2f..%2fetc%2fpasswd",
        "/static/../../../etc/passwd", "/static/%2E%2E/%2E%2E/etc/passwd", "/static/..%5c..%5cetc%5cpasswd",
        "/hls/cam-1/%00.ts", "/static//etc/passwd", "/hls/cam-1/%zz.ts", "/static/%c0%ae%c0%ae/etc/passwd"})
    void pathTraversalIsRejected(String path) throws Exception {
        String response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400 ").doesNotContain("root:");
    }

    @Test
    void metricsServePrometheusText() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(response.body()).contains("streamloom_test_packets_total 7.0");
    }

    @Test
    void playerPageAndScriptsAreServedWithTheirTypes() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<video").contains("/static/player.js");
        HttpResponse<String> script = get("/static/player.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.body()).contains("/api/streams");
        // hls.js comes from npm at build time (node-runtime/pom.xml), never from a CDN.
        assertThat(page.body()).doesNotContain("https://");
        HttpResponse<String> hlsJs = get("/static/vendor/hls.min.js");
        assertThat(hlsJs.statusCode()).isEqualTo(200);
        assertThat(hlsJs.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(hlsJs.body()).contains("isSupported");
    }

    @Test
    void apiRoutesAnswerJson() throws Exception {
        HttpResponse<String> list = get("/api/streams");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode streams = json.readTree(list.body());
        assertThat(streams.get(0).get("playbackUrl").asText()).isEqualTo("/hls/cam-1/index.m3u8");

        HttpResponse<String> posted = post("/api/streams/cam-1/captions", "{\"text\":\"你好 hello\"}");
        assertThat(posted.statusCode()).isEqualTo(202);
        assertThat(json.readTree(posted.body()).get("text").asText()).isEqualTo("你好 hello");
    }

    @Test
    void apiErrorsAreJsonWithTheirStatus() throws Exception {
        assertError(post("/api/streams/cam-1/captions", "{\"text\":"), 400, "invalid JSON");
        assertError(post("/api/streams/cam-1/captions", "{\"txt\":\"a\"}"), 400, "invalid JSON");
        assertError(post("/api/streams/cam-1/captions", "{\"text\":\" \"}"), 400, "text is empty");
        assertError(post("/api/streams/-bad/captions", "{\"text\":\"a\"}"), 400, "name");
        assertError(get("/api/conflict"), 409, "already live");
        assertError(post("/api/streams", "{}"), 405, "method not allowed");
        assertError(get("/api/bug"), 500, "internal error");
        // The server is unharmed by the failing handler.
        assertThat(get("/api/streams").statusCode()).isEqualTo(200);
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        HttpResponse<String> response = post("/api/streams/cam-1/captions",
                "{\"text\":\"" + "x".repeat(4096) + "\"}");
        assertThat(response.statusCode()).isEqualTo(413);
        // A write: no origin may read the answer unless listed (CorsPolicy), and none is listed here.
        assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(json.readTree(response.body()).get("error").asText()).contains("too large");
        // Also when the client announces the body and waits for 100-continue.
        String expect = raw("POST /api/streams/cam-1/captions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                + "\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
        assertThat(expect).startsWith("HTTP/1.1 413 ");
    }

    @Test
    void malformedRequestClosesOnlyItsOwnConnection() throws Exception {
        try (Socket good = socket(); Socket bad = socket()) {
            String first = exchange(good, "GET /hls/cam-1/index.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(first).startsWith("HTTP/1.1 200 ");

            long start = System.nanoTime();
            bad.getOutputStream().write("\u0001\u0002 garbage\r\nno-colon-header\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            String badResponse = new String(bad.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(badResponse).startsWith("HTTP/1.1 400 ");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered and closed at once")
                    .isLessThan(Duration.ofSeconds(1));

            String second = exchange(good, "GET /hls/cam-1/index.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(second).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void tooLongRequestLineIsRejected() throws Exception {
        String response = raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 414 ");
    }

    @Test
    void tooLargeHeadersAreRejected() throws Exception {
        String response = raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 431 ");
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        try (Socket idle = socket()) {
            long start = System.nanoTime();
            assertThat(idle.getInputStream().read()).as("server closed the idle connection").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1),
                    Duration.ofSeconds(5));
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String message) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(json.readTree(response.body()).get("error").asText()).contains(message);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends raw bytes (no client-side path normalisation) and reads until the server closes. */
    private static String raw(String request) throws IOException {
        try (Socket socket = socket()) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** One request on a kept-alive connection: reads the head and then exactly Content-Length body bytes. */
    private static String exchange(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = Integer.parseInt(headers.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .findFirst().orElseThrow().substring(15).trim());
        return headers + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
