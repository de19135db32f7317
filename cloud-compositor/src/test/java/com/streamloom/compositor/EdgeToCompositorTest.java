package com.streamloom.compositor;

import com.streamloom.compositor.render.YuvColor;
import com.streamloom.edge.EdgeNode;
import com.streamloom.node.NodeConfig;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.SyntheticPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An edge forwards a stream's processed output to a compositor over RTMP push (the edge's
 * {@code output.forwardUrls}, with the compositor's node token), and a compositor that restarts gets the input back
 * with nobody touching the edge: the edge's forwarder reconnects with back-off. One edge stream
 * feeds compositors on two nodes at once, and dropping one target leaves the other alone. The processes run in this
 * JVM from their config files, like {@code EdgeEndToEndTest} runs the edge.
 */
class EdgeToCompositorTest {
    static final String KEY = "edge-key-for-tests-0123";
    static final String TOKEN = "Jc5-Wq8zRt3Lm7Xp2Vb9Nd4Kf";
    static final HlsProbe.Region CENTRE = new HlsProbe.Region(0.40, 0.40, 0.20, 0.20);

    private EdgeNode edge;
    private CompositorNode compositor;
    private CompositorNode second;
    private SyntheticPublisher publisher;

    @AfterEach
    void stop() {
        if (publisher != null) publisher.close();
        if (edge != null) edge.close();
        if (compositor != null) compositor.close();
        if (second != null) second.close();
    }

    @Test
    void edgeForwardsToTheCompositorAndTheInputComesBackAfterACompositorRestart() throws Exception {
        int compRtmp = Ports.free(), compHttp = Ports.free();
        Path compCfg = compositorConfig();
        Map<String, String> compEnv = ports(compRtmp, compHttp);
        compositor = CompositorNode.start(NodeConfig.load(compCfg, compEnv, 1936, 8082));

        // the single forwardUrl of older specs still works
        startEdgeAndPublisher("\"forwardUrl\": \"" + forwardUrl(compRtmp) + "\"");
        URI wall = URI.create("http://127.0.0.1:" + compHttp + "/hls/wall/index.m3u8");

        awaitProcessedPicture(wall);
        // the picture can arrive a segment before the mixer has the input's audio: wait for a segment with the tone
        org.awaitility.Awaitility.await("the forwarded stream's audio is mixed in").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
                    HlsProbe.Media media = HlsProbe.decode(HlsProbe.download(HlsProbe.fetchPlaylist(wall).last().uri()));
                    assertThat(media.audio()).isNotNull();
                    assertThat(media.audio().toneLevel(1000)).isGreaterThan(10 * media.audio().toneLevel(600));
                });

        // The compositor restarts on the same port; nobody touches the edge or its publisher.
        URI edgePlaylist = URI.create("http://127.0.0.1:" + edge.httpPort() + "/hls/studio/index.m3u8");
        // the composition can show the forwarded picture before the edge's own first segment is complete
        HlsProbe.Playlist edgeBefore = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> HlsProbe.fetchPlaylist(edgePlaylist), pl -> !pl.segments().isEmpty());
        compositor.close();
        compositor = null;
        Thread.sleep(1000);
        compositor = CompositorNode.start(NodeConfig.load(compCfg, compEnv, 1936, 8082));
        long restarted = System.nanoTime();
        awaitProcessedPicture(wall);
        Duration back = Duration.ofNanos(System.nanoTime() - restarted);
        // Back-off after a 1 s outage is at most a few seconds; then the next edge keyframe (1 s segments).
        assertThat(back).as("input back after %s", back).isLessThan(Duration.ofSeconds(12));
        assertThat(compositor.compositions().isPublishing("studio")).isTrue();

        assertEdgeWentOnWithoutABreak(edgePlaylist, edgeBefore);
    }

    @Test
    void oneEdgeStreamFeedsTwoCompositorsAndDroppingOneLeavesTheOtherAndTheEdgeUntouched() throws Exception {
        int aRtmp = Ports.free(), aHttp = Ports.free(), bRtmp = Ports.free(), bHttp = Ports.free();
        compositor = CompositorNode.start(NodeConfig.load(compositorConfig(), ports(aRtmp, aHttp), 1936, 8082));
        second = CompositorNode.start(NodeConfig.load(compositorConfig(), ports(bRtmp, bHttp), 1936, 8082));
        String output = """
                "forwardUrls": ["%s", "%s"]""".formatted(forwardUrl(aRtmp), forwardUrl(bRtmp));
        startEdgeAndPublisher(output);
        URI wallA = URI.create("http://127.0.0.1:" + aHttp + "/hls/wall/index.m3u8");
        URI wallB = URI.create("http://127.0.0.1:" + bHttp + "/hls/wall/index.m3u8");
        awaitProcessedPicture(wallA);
        awaitProcessedPicture(wallB);
        URI edgePlaylist = URI.create("http://127.0.0.1:" + edge.httpPort() + "/hls/studio/index.m3u8");
        HlsProbe.Playlist edgeBefore = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> HlsProbe.fetchPlaylist(edgePlaylist), pl -> !pl.segments().isEmpty());

        // Watch A's input while the edge drops B: a reconnect of A would show as a moment without a publisher.
        AtomicInteger aGaps = new AtomicInteger();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                if (!compositor.compositions().isPublishing("studio")) {
                    aGaps.incrementAndGet();
                }
                LockSupport.parkNanos(5_000_000);
            }
        }, "watch-compositor-a");
        watcher.start();
        long aSequence = HlsProbe.fetchPlaylist(wallA).last().sequence();
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + edge.httpPort() + "/api/streams/studio"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(edgeStreamSpec(
                        "\"forwardUrls\": [\"" + forwardUrl(aRtmp) + "\"]"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        await("B loses its input").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> !second.compositions().isPublishing("studio"));
        // A goes on showing the edge's picture in segments made after the change
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> HlsProbe.fetchPlaylist(wallA).last().sequence() > aSequence + 1);
        awaitProcessedPicture(wallA);
        watching.set(false);
        watcher.join();
        assertThat(aGaps.get()).as("moments A had no publisher").isZero();

        assertEdgeWentOnWithoutABreak(edgePlaylist, edgeBefore);
    }

    @Test
    void anInputIsLiveOnlyWhileMediaArrivesAndTheEdgeForwardsOnlyWhileItHasMedia() throws Exception {
        int compRtmp = Ports.free(), compHttp = Ports.free();
        compositor = CompositorNode.start(NodeConfig.load(compositorConfig(), ports(compRtmp, compHttp), 1936, 8082));
        startEdge("\"forwardUrls\": [\"" + forwardUrl(compRtmp) + "\"]");

        // No publisher at the edge: no forward connection at all, so the input is not live and says so.
        Thread.sleep(3000);
        assertThat(compositor.compositions().isPublishing("studio")).isFalse();
        assertThat(inputLive(compHttp)).isEqualTo("false");
        assertThat(metric(compHttp, "streamloom_composition_input_live")).isEqualTo(0.0);

        publisher = SyntheticPublisher.builder().size(320, 240).fps(15).colour("0x10C020").toneHz(1000)
                .videoKbps(200).publishTo("rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + KEY);
        await("the input turns live once media flows").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> compositor.compositions().isPublishing("studio"));
        assertThat(inputLive(compHttp)).isEqualTo("true");
        // /metrics is rendered at most once a second and shared: the next rendering shows it
        await("the metric follows").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> metric(compHttp, "streamloom_composition_input_live") == 1.0);

        // The publisher leaves: the edge closes its forward, and the input is no longer live.
        publisher.close();
        publisher = null;
        await("the input is no longer live").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> !compositor.compositions().isPublishing("studio"));
        assertThat(inputLive(compHttp)).isEqualTo("false");
    }

    /** The compositor's own list: whether input "studio" of composition "wall" is live. */
    private static String inputLive(int http) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                + "/api/streams")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get(0).get("inputs").get(0)
                .get("live").asText();
    }

    private static double metric(int http, String name) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith(name + "{")).mapToDouble(l -> Double.parseDouble(
                l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow(() -> new AssertionError(name + " missing"));
    }

    /** The publisher still runs and the edge's own playlist grew since {@code before}, with no discontinuity. */
    private void assertEdgeWentOnWithoutABreak(URI edgePlaylist, HlsProbe.Playlist before) {
        HlsProbe.Playlist after = HlsProbe.fetchPlaylist(edgePlaylist);
        assertThat(publisher.isRunning()).isTrue();
        assertThat(after.last().sequence()).isGreaterThan(before.last().sequence());
        assertThat(after.discontinuities() + after.discontinuitySequence())
                .as("the edge's own stream went on without a break")
                .isEqualTo(before.discontinuities() + before.discontinuitySequence());
    }

    private static Path compositorConfig() throws java.io.IOException {
        Path cfg = Files.createTempFile("compositor", ".json");
        Files.writeString(cfg, """
                {"bindHost": "127.0.0.1", "nodeToken": "%s",
                 "compositions": [{"name": "wall", "canvas": {"width": 640, "height": 360, "fps": 15},
                   "inputs": [{"stream": "studio", "holdMs": 500}],
                   "output": {"segmentSeconds": 1, "windowSegments": 6}}]}
                """.formatted(TOKEN));
        return cfg;
    }

    private static Map<String, String> ports(int rtmp, int http) {
        return Map.of("STREAMLOOM_RTMP_PORT", String.valueOf(rtmp), "STREAMLOOM_HTTP_PORT", String.valueOf(http));
    }

    private static String forwardUrl(int compositorRtmpPort) {
        return "rtmp://127.0.0.1:" + compositorRtmpPort + "/live/studio?token=" + TOKEN;
    }

    /** The edge's stream: grayscale, 1 s segments, and the given forward field(s) in its output. */
    private static String edgeStreamSpec(String forwardFields) {
        return """
                {"name": "studio", "stages": [{"type": "grayscale"}], "encoding": {"bitrateKbps": 300},
                 "output": {"segmentSeconds": 1, "windowSegments": 6, %s}}""".formatted(forwardFields);
    }

    private void startEdgeAndPublisher(String forwardFields) throws Exception {
        startEdge(forwardFields);
        // A green input: the edge's grayscale stage makes it neutral grey, so a composition shows the edge's
        // processed output, not the raw publication.
        publisher = SyntheticPublisher.builder().size(320, 240).fps(15).colour("0x10C020").toneHz(1000)
                .videoKbps(200).publishTo("rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + KEY);
    }

    private void startEdge(String forwardFields) throws Exception {
        Path edgeCfg = Files.createTempFile("edge", ".json");
        Files.writeString(edgeCfg, """
                {"bindHost": "127.0.0.1", "nodeToken": "%s", "streams": [{"key": "%s", "spec": %s}]}
                """.formatted(TOKEN, KEY, edgeStreamSpec(forwardFields)));
        edge = EdgeNode.start(NodeConfig.load(edgeCfg, ports(Ports.free(), Ports.free()), 1935, 8081));
    }

    /** Waits until the composition's newest segment shows the edge's grayscale picture (not the slate, not black). */
    private static void awaitProcessedPicture(URI playlist) {
        int greyOfGreen = YuvColor.rgb(0x10, 0xC0, 0x20).y();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            try {
                HlsProbe.Playlist p = HlsProbe.fetchPlaylist(playlist);
                HlsProbe.Media m = HlsProbe.decode(HlsProbe.download(p.last().uri()), CENTRE);
                HlsProbe.YuvMean c = m.pictures().get(m.pictures().size() - 1).regions().get(0);
                return Math.abs(c.y() - greyOfGreen) <= 10 && Math.abs(c.u() - 128) <= 4 && Math.abs(c.v() - 128) <= 4;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }
}
