package com.streamloom.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsPart;
import com.streamloom.media.hls.HlsPlaylistRenderer;
import com.streamloom.media.hls.HlsSegment;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LL-HLS over HTTP against a real packager fed with a real encoded source, step by step from the test thread, so
 * the test decides when a part is cut: part URIs, blocking playlist reload and preload-hinted parts.
 */
class LowLatencyHlsHttpTest {
    private static final Pattern HINT = Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"([^\"]+)\"");
    @TempDir
    static Path dir;
    static List<MediaPacket> sixSeconds;
    static HlsStreams streams = new HlsStreams();
    static MediaHttpServer server;
    static final HttpClient client = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();
    static final AtomicInteger names = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        sixSeconds = PacketsForTests.packets(dir, "six", Source.small(6));
        server = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1"), streams, null).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A registered packager (1 s segments) and the packets not fed to it yet. */
    private static final class Live {
        final HlsPackager packager;
        private int next;

        Live() {
            packager = new HlsPackager("ll-" + names.incrementAndGet(), new HlsSettings(1_000_000, 6,
                    HlsSettings.DEFAULT_PART_MICROS, null), Clock.systemUTC());
            streams.register(packager);
        }

        /** Feeds packets until {@code done} holds (checked after each packet). */
        Live feedUntil(Predicate<HlsPackager> done) {
            while (!done.test(packager)) {
                assertThat(next).as("source exhausted").isLessThan(sixSeconds.size());
                packager.accept(sixSeconds.get(next++));
            }
            return this;
        }

        Live feedTo(long micros) {
            while (next < sixSeconds.size() && (sixSeconds.get(next).config()
                    || sixSeconds.get(next).dtsMicros() < micros)) {
                packager.accept(sixSeconds.get(next++));
            }
            return this;
        }

        int pendingParts() {
            return packager.snapshot().pendingParts().size();
        }

        long pendingSequence() {
            return packager.snapshot().nextSequence();
        }

        String path(String name) {
            return "/hls/" + packager.stream() + "/" + name;
        }
    }

    @Test
    void partUrisServeExactlyTheirRangeOfTheSegment() throws Exception {
        Live live = new Live().feedTo(1_500_000);
        // Part 0 of segment 1 while segment 1 is still being written...
        assertThat(live.pendingSequence()).isEqualTo(1);
        assertThat(live.pendingParts()).isPositive();
        HttpResponse<byte[]> pending = getBytes(live.path("1.0.ts"));
        assertThat(pending.statusCode()).isEqualTo(200);
        assertThat(pending.headers().firstValue("content-type")).hasValue("video/mp2t");
        assertThat(pending.headers().firstValue("cache-control").orElseThrow()).contains("max-age");
        live.feedTo(2_500_000);

        for (String name : List.of("0.ts", "1.ts")) {
            HlsSegment segment = live.packager.segment(name);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (HlsPart part : segment.parts()) {
                HttpResponse<byte[]> response = getBytes(live.path(
                        HlsPlaylistRenderer.partName(segment.sequence(), part.index())));
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).hasSize(part.length());
                joined.write(response.body());
            }
            assertThat(joined.toByteArray()).as(name).isEqualTo(segment.data());
            assertThat(getBytes(live.path(segment.sequence() + "." + segment.parts().size() + ".ts")).statusCode())
                    .as("one past the last part").isEqualTo(404);
        }
        // ...is the same bytes as that range of the finished segment.
        HlsPart first = live.packager.segment("1.ts").parts().get(0);
        assertThat(pending.body()).isEqualTo(java.util.Arrays.copyOfRange(live.packager.segment("1.ts").data(),
                first.offset(), first.offset() + first.length()));
    }

    @Test
    void unknownPartsAre404WithAMessage() throws Exception {
        Live live = new Live().feedTo(2_500_000);
        for (String name : List.of("0.99.ts", "77.0.ts", "123456789.1.ts", "1.x.ts")) {
            HttpResponse<String> response = get(live.path(name));
            assertThat(response.statusCode()).as(name).isEqualTo(404);
            assertThat(json.readTree(response.body()).get("error").asText()).as(name).isNotBlank();
        }
    }

    @Test
    void blockingReloadReturnsOnceTheRequestedPartExists() throws Exception {
        Live live = new Live().feedTo(1_500_000);
        long msn = live.pendingSequence();
        int part = live.pendingParts();
        String wanted = "\"" + HlsPlaylistRenderer.partName(msn, part) + "\"";
        assertThat(partLines(live.packager.playlist())).noneMatch(l -> l.contains("URI=" + wanted));
        CompletableFuture<HttpResponse<String>> reload = getAsync(
                live.path("index.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part));
        Thread.sleep(300);
        assertThat(reload).as("held while the part does not exist").isNotDone();

        live.feedUntil(p -> p.snapshot().pendingParts().size() > part || p.snapshot().nextSequence() > msn);
        long cutAt = System.nanoTime();
        HttpResponse<String> response = reload.get(5, TimeUnit.SECONDS);
        long answeredMillis = (System.nanoTime() - cutAt) / 1_000_000;
        System.out.println("blocking reload answered " + answeredMillis + " ms after the part was cut");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(partLines(response.body())).anyMatch(l -> l.contains("URI=" + wanted));

        // Already there: answered at once. A whole segment (no _HLS_part) works the same way.
        assertThat(get(live.path("index.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part)).statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> nextSegment = getAsync(live.path("index.m3u8?_HLS_msn=" + (msn + 1)));
        Thread.sleep(200);
        assertThat(nextSegment).isNotDone();
        live.feedUntil(p -> p.snapshot().nextSequence() > msn + 1);
        HttpResponse<String> segmentResponse = nextSegment.get(5, TimeUnit.SECONDS);
        assertThat(segmentResponse.statusCode()).isEqualTo(200);
        assertThat(segmentResponse.body()).contains("\n" + (msn + 1) + ".ts\n");
    }

    @Test
    void badOrFarFutureReloadRequestsAre400() throws Exception {
        Live live = new Live().feedTo(1_500_000);
        long next = live.pendingSequence();
        for (String query : List.of("_HLS_msn=" + (next + 3), "_HLS_msn=" + (next + 1000) + "&_HLS_part=0",
                "_HLS_part=1", "_HLS_msn=abc", "_HLS_msn=-1", "_HLS_msn=1&_HLS_part=-2")) {
            HttpResponse<String> response = get(live.path("index.m3u8?" + query));
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(json.readTree(response.body()).get("error").asText()).as(query).isNotBlank();
        }
        // _HLS_skip is ignored: the full playlist.
        assertThat(get(live.path("index.m3u8?_HLS_skip=YES")).body()).isEqualTo(live.packager.playlist());
    }

    @Test
    void aReloadThatIsNeverSatisfiedEndsWith503() throws Exception {
        Live live = new Live().feedTo(1_500_000);
        // Two segments ahead is allowed, but nothing is fed: after three target durations (3 s) the server gives up.
        HttpResponse<String> response = get(live.path("index.m3u8?_HLS_msn=" + (live.pendingSequence() + 2)));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json.readTree(response.body()).get("error").asText()).contains("in time");
    }

    @Test
    void aPreloadHintedPartIsServedWhenItIsCut() throws Exception {
        Live live = new Live().feedTo(1_500_000);
        Matcher hint = HINT.matcher(live.packager.playlist());
        assertThat(hint.find()).isTrue();
        String name = hint.group(1);
        assertThat(name).isEqualTo(HlsPlaylistRenderer.partName(live.pendingSequence(), live.pendingParts()));
        CompletableFuture<HttpResponse<byte[]>> preload = client.sendAsync(request(live.path(name)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Thread.sleep(100);
        assertThat(preload).as("held until the part is cut").isNotDone();
        long msn = live.pendingSequence();
        int index = live.pendingParts();
        live.feedUntil(p -> p.snapshot().pendingParts().size() > index || p.snapshot().nextSequence() > msn);
        HttpResponse<byte[]> response = preload.get(5, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("video/mp2t");
        java.nio.ByteBuffer expected = live.packager.part(msn, index);
        byte[] bytes = new byte[expected.remaining()];
        expected.get(bytes);
        assertThat(response.body()).isEqualTo(bytes);
    }

    @Test
    void aHintedPartThatIsNeverCutEndsWith404() throws Exception {
        Live live = new Live().feedTo(1_500_000);
        String name = HlsPlaylistRenderer.partName(live.pendingSequence(), live.pendingParts());
        // Nothing is fed: after three part targets the request gives up.
        HttpResponse<String> response = get(live.path(name));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json.readTree(response.body()).get("error").asText()).contains("not cut in time");
        // The connection's event loop was never blocked: other requests were answered meanwhile (and still are).
        assertThat(get(live.path("index.m3u8")).statusCode()).isEqualTo(200);
    }

    @Test
    void heldRequestsDoNotBlockOtherConnections() throws Exception {
        Live live = new Live().feedTo(1_500_000);
        long next = live.pendingSequence();
        // More held reloads than the server has event-loop threads; plain requests are still answered meanwhile.
        List<CompletableFuture<HttpResponse<String>>> held = new java.util.ArrayList<>();
        for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors() + 4; i++) {
            held.add(getAsync(live.path("index.m3u8?_HLS_msn=" + (next + 1))));
        }
        Thread.sleep(200);
        for (int i = 0; i < 5; i++) {
            assertThat(getBytes(live.path("0.ts")).statusCode()).isEqualTo(200);
        }
        assertThat(held).noneMatch(CompletableFuture::isDone);
        live.feedUntil(p -> p.snapshot().nextSequence() > next + 1);
        for (CompletableFuture<HttpResponse<String>> f : held) {
            assertThat(f.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    private static List<String> partLines(String playlist) {
        return playlist.lines().filter(l -> l.startsWith("#EXT-X-PART:")).toList();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return client.sendAsync(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> getBytes(String path) throws Exception {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
