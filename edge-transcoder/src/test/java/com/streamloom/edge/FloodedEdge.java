package com.streamloom.edge;

import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.SyntheticPublisher;
import com.streamloom.node.NodeConfig;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A standalone edge in this JVM, with its real RTMP and HTTP listeners on loopback, while a good stream plays: the
 * ffmpeg program publishes stream "good" (320x180, 15 fps, 1 s segments in a window of 30, so a segment a flood
 * asks for stays served for half a minute). A flood test checks, around each flood,
 * that the good stream's playlist keeps advancing, that heap and resident memory stay within the bounds below, and
 * that a new publisher (stream "newcomer") still goes live.
 *
 * <p>Floods come from many loopback addresses ({@link #source}): Linux routes all of 127.0.0.0/8 to the loopback
 * interface, so a socket bound to 127.0.0.2 … 127.0.0.201 is another remote address to the edge, and the per-address
 * limit (50) leaves the total limits to be exercised.
 */
final class FloodedEdge implements AutoCloseable {
    /** Heap used after a full GC may grow at most this much over the flood-free start. */
    static final long HEAP_GROWTH_BOUND = 256L << 20;
    /**
     * Resident memory (VmRSS of this JVM: the edge and the test's clients) may grow at most this much: the RTMP
     * node budget for unfinished messages (256 MiB) plus the heap bound plus room for the allocator's arenas.
     */
    static final long RSS_GROWTH_BOUND = 768L << 20;
    /** Loopback addresses the floods come from: 127.0.0.2 … 127.0.0.201. */
    static final int SOURCES = 200;

    private static final Duration WAIT = Duration.ofSeconds(60);

    final EdgeNode edge;
    final int rtmpPort;
    final int httpPort;
    private final String newcomerKey;
    private final SyntheticPublisher good;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final long startHeap;
    private final long startRss;

    private FloodedEdge(EdgeNode edge, String newcomerKey, SyntheticPublisher good) {
        this.edge = edge;
        this.rtmpPort = edge.rtmpPort();
        this.httpPort = edge.httpPort();
        this.newcomerKey = newcomerKey;
        this.good = good;
        awaitSequence(-1);
        this.startHeap = heapAfterGc();
        this.startRss = residentBytes();
    }

    /**
     * Starts the edge with streams "good" and "newcomer" and the good publisher, and waits for its first segment.
     *
     * @param settings more fields of the edge's config file (JSON members, e.g. {@code "maxStreams": 10}), or ""
     */
    static FloodedEdge start(String settings) throws Exception {
        String goodKey = randomKey();
        String newcomerKey = randomKey();
        Path cfg = Files.createTempFile("flooded-edge", ".json");
        EdgeNode edge;
        try {
            Files.writeString(cfg, """
                    {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1", %s
                     "streams": [{"key": "%s", "spec": %s}, {"key": "%s", "spec": %s}]}
                    """.formatted(settings.isEmpty() ? "" : settings + ",", goodKey, spec("good"), newcomerKey,
                    spec("newcomer")));
            Map<String, String> env = new HashMap<>();
            env.put("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()));
            env.put("STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free()));
            edge = EdgeNode.start(NodeConfig.load(cfg, env, 1935, 8081));
        } finally {
            Files.deleteIfExists(cfg);
        }
        SyntheticPublisher good = null;
        try {
            good = SyntheticPublisher.builder().size(320, 180).fps(15)
                    .publishTo("rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + goodKey);
            return new FloodedEdge(edge, newcomerKey, good);
        } catch (Exception | Error e) {
            if (good != null) {
                good.close();
            }
            edge.close();
            throw e;
        }
    }

    private static String randomKey() {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String spec(String name) {
        return """
                {"name": "%s", "stages": [], "encoding": {"bitrateKbps": 300},
                 "output": {"segmentSeconds": 1, "windowSegments": 30}}""".formatted(name);
    }

    /** The address flood connection {@code i} comes from: 127.0.0.2 … 127.0.0.201, round robin. */
    static String source(int i) {
        return "127.0.0." + (2 + i % SOURCES);
    }

    /** The good stream's latest media sequence number, or -1 before its first segment. */
    long sequence() {
        HlsProbe.Playlist p = playlist("good");
        return p == null || p.segments().isEmpty() ? -1 : p.last().sequence();
    }

    /** Waits until the good stream's playlist has two segments past {@code sequence}; returns the newest. */
    long awaitSequence(long sequence) {
        long at = await().atMost(WAIT).pollInterval(Duration.ofMillis(300))
                .until(this::sequence, s -> s > sequence + 1);
        assertThat(good.isRunning()).as(good.log()).isTrue();
        return at;
    }

    /** A number from /metrics: the sample {@code series}, e.g. {@code streamloom_rtmp_rejected_total{reason="x"}}. */
    double metric(String series) {
        String text = get("/metrics");
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
        assertThat(m.find()).as("%s at /metrics", series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** {@code streamloom_rtmp_rejected_total} for one reason. */
    double rejected(String reason) {
        return metric("streamloom_rtmp_rejected_total{reason=\"" + reason + "\"}");
    }

    /** RTMP connections the edge holds now. */
    double rtmpConnections() {
        return metric("streamloom_rtmp_connections");
    }

    /** Heap after a full GC and resident memory are within their bounds of the start. */
    void assertMemoryBounded(String flood) {
        long heap = heapAfterGc();
        long rss = residentBytes();
        System.out.printf("%s: heap after GC %d MiB (start %d MiB), resident %d MiB (start %d MiB)%n", flood,
                heap >> 20, startHeap >> 20, rss >> 20, startRss >> 20);
        assertThat(heap - startHeap).as("%s: heap growth after GC, bytes", flood).isLessThan(HEAP_GROWTH_BOUND);
        assertThat(rss - startRss).as("%s: resident memory growth, bytes", flood).isLessThan(RSS_GROWTH_BOUND);
    }

    /** The key of stream "newcomer", for a test's own publisher. */
    String newcomerKey() {
        return newcomerKey;
    }

    /** Resident memory now (during a flood) is within its bound of the start. */
    void assertResidentBounded(String when) {
        long rss = residentBytes();
        System.out.printf("%s: resident %d MiB (start %d MiB)%n", when, rss >> 20, startRss >> 20);
        assertThat(rss - startRss).as("%s: resident memory growth, bytes", when).isLessThan(RSS_GROWTH_BOUND);
    }

    /** A new publisher on stream "newcomer" is let in and its playlist fills; then it leaves again. */
    void assertNewPublisherGoesLive() {
        long before = sequenceOf("newcomer");
        try (SyntheticPublisher newcomer = SyntheticPublisher.builder().size(160, 90).fps(10)
                .publishTo("rtmp://127.0.0.1:" + rtmpPort + "/live/" + newcomerKey)) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300))
                    .until(() -> sequenceOf("newcomer") > before);
            assertThat(edge.streams().get("newcomer").state()).isEqualTo("live");
            assertThat(newcomer.isRunning()).as(newcomer.log()).isTrue();
        }
        await().atMost(WAIT).until(() -> !edge.streams().get("newcomer").isPublishing());
    }

    private long sequenceOf(String stream) {
        HlsProbe.Playlist p = playlist(stream);
        return p == null || p.segments().isEmpty() ? -1 : p.last().sequence();
    }

    HlsProbe.Playlist playlist(String stream) {
        try {
            return HlsProbe.fetchPlaylist(URI.create("http://127.0.0.1:" + httpPort + "/hls/" + stream
                    + "/index.m3u8"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    String get(String path) {
        return new String(getBytes(path), java.nio.charset.StandardCharsets.UTF_8);
    }

    byte[] getBytes(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (IOException e) {
            throw new AssertionError("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** VmRSS of this process, from /proc/self/status. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/self/status", e);
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }

    @Override
    public void close() {
        try {
            good.close();
        } finally {
            edge.close();
        }
    }
}
