package com.streamloom.node.http;

import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Connections are bounded in number, in the time to send a request head, and in answers queued unread. */
class HttpLimitsTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void slowlorisConnectionsAreClosedWhileNormalRequestsAreAnswered() throws Exception {
        MediaHttpServer server = start(HttpServerSettings.defaults(0).withHost("127.0.0.1")
                .withHeaderTimeout(Duration.ofSeconds(1)).withIdleTimeout(Duration.ofSeconds(30)), new HlsStreams());
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            slow.add(socket(server.port()));
        }
        byte[] head = ("GET /api/ping HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(200)).getBytes(
                StandardCharsets.US_ASCII);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/ping"))
                .timeout(Duration.ofSeconds(5)).build();
        assertThat(client.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode()).as("warm-up").isEqualTo(200);
        long slowestNormalMillis = 0;
        // A byte to every connection every 100 ms for 3 s: each stays busy long past the idle-free second.
        for (int round = 0; round < 30; round++) {
            for (Socket s : slow) {
                try {
                    s.getOutputStream().write(head[round]);
                } catch (IOException closedByServer) {
                    // expected once the head deadline has passed
                }
            }
            if (round % 5 == 0) {
                long start = System.nanoTime();
                HttpResponse<String> normal = client.send(ping, HttpResponse.BodyHandlers.ofString());
                assertThat(normal.statusCode()).isEqualTo(200);
                slowestNormalMillis = Math.max(slowestNormalMillis, (System.nanoTime() - start) / 1_000_000);
            }
            Thread.sleep(100);
        }
        assertThat(slowestNormalMillis).as("a normal request is answered fast meanwhile").isLessThan(1000);
        for (Socket s : slow) {
            assertThat(closedByServer(s)).as("slowloris connection closed").isTrue();
        }
    }

    @Test
    void connectionsBeyondTheCapAreRefused() throws Exception {
        MediaHttpServer server = start(HttpServerSettings.defaults(0).withHost("127.0.0.1").withMaxConnections(3),
                new HlsStreams());
        List<Socket> admitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            admitted.add(socket(server.port()));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.openConnections() == 3);
        try (Socket refused = socket(server.port())) {
            assertThat(closedByServer(refused)).as("fourth connection closed at once").isTrue();
        }
        assertThat(exchange(admitted.get(0))).as("admitted connections are served").startsWith("HTTP/1.1 200 ");
        admitted.get(1).close();
        // the first was closed after its answer (Connection: close), the second by its client
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.openConnections() == 1);
        try (Socket next = socket(server.port())) {
            assertThat(exchange(next)).as("a freed place is taken again").startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void aClientThatPipelinesAndNeverReadsIsClosedWithBoundedBuffering() throws Exception {
        HlsStreams streams = new HlsStreams();
        HlsPackager packager = new HlsPackager("cam-1", new HlsSettings(1_000_000, 3,
                HlsSettings.DEFAULT_PART_MICROS, null), Clock.systemUTC());
        streams.register(packager);
        for (MediaPacket p : PacketsForTests.packets(dir, "src", Source.small(2))) {
            packager.accept(p);
        }
        int segmentBytes = packager.segment("0.ts").data().length;
        long bound = 256 * 1024;
        MediaHttpServer server = start(HttpServerSettings.defaults(0).withHost("127.0.0.1")
                .withMaxQueuedBytes(bound), streams);
        int requests = 400; // 400 answers of a whole segment: far more than the bound and the sockets' buffers
        try (Socket greedy = new Socket()) {
            greedy.setReceiveBufferSize(8 * 1024);
            greedy.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            byte[] get = "GET /hls/cam-1/0.ts HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < requests; i++) {
                greedy.getOutputStream().write(get);
            }
            greedy.getOutputStream().flush();
            long peak = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            do {
                peak = Math.max(peak, server.queuedResponseBytes());
                Thread.sleep(2);
            } while (server.openConnections() > 0 && System.nanoTime() < deadline);
            assertThat(server.openConnections()).as("the non-reading client was closed").isZero();
            // never more than the bound plus the one answer whose write found the bound passed
            assertThat(peak).as("bytes the server buffered").isLessThanOrEqualTo(bound + segmentBytes + 4096)
                    .isLessThan((long) requests * segmentBytes / 4);
        }
    }

    @Test
    void concurrentScrapesWithinAnIntervalRenderTheMetricsOnce() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("streamloom_test_scrapes_total").increment(3);
        MediaHttpServer server = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1")
                .withMetricsInterval(Duration.ofSeconds(30)), new HlsStreams(), registry).start();
        toClose.add(server);
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> scrapes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            scrapes.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> scrape : scrapes) {
            HttpResponse<String> response = scrape.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("streamloom_test_scrapes_total 3.0");
        }
        assertThat(server.metricsRenders()).isEqualTo(1);
    }

    private MediaHttpServer start(HttpServerSettings settings, HlsStreams streams) throws InterruptedException {
        MediaHttpServer server = new MediaHttpServer(settings, streams, null);
        server.route(HttpMethod.GET, "/api/ping", request -> ApiResponse.json(Map.of("answer", "pong")));
        toClose.add(server);
        return server.start();
    }

    private Socket socket(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        toClose.add(socket);
        return socket;
    }

    /** True when the server has closed the connection (end of stream or reset) within the socket's timeout. */
    private static boolean closedByServer(Socket socket) throws IOException {
        try {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // an answer before the close (there is none here) is skipped
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String exchange(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /api/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
