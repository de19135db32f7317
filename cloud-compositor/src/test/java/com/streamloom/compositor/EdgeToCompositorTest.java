package com.streamloom.compositor;

import com.streamloom.compositor.render.YuvColor;
import com.streamloom.edge.EdgeNode;
import com.streamloom.media.node.NodeConfig;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.SyntheticPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 3 line 2: an edge forwards a stream's processed output to a compositor over RTMP push (the edge's
 * {@code output.forwardUrl}, with the compositor's node token), and a compositor that restarts gets the input back
 * with nobody touching the edge: the edge's forwarder reconnects with back-off. Both processes run in this JVM from
 * their config files, like {@code EdgeEndToEndTest} runs the edge.
 */
class EdgeToCompositorTest {
    static final String KEY = "edge-key-for-tests-0123";
    static final String TOKEN = "cluster-node-token";
    static final HlsProbe.Region CENTRE = new HlsProbe.Region(0.40, 0.40, 0.20, 0.20);

    private EdgeNode edge;
    private CompositorNode compositor;
    private SyntheticPublisher publisher;

    @AfterEach
    void stop() {
        if (publisher != null) publisher.close();
        if (edge != null) edge.close();
        if (compositor != null) compositor.close();
    }

    @Test
    void edgeForwardsToTheCompositorAndTheInputComesBackAfterACompositorRestart() throws Exception {
        int compRtmp = Ports.free(), compHttp = Ports.free();
        Path compCfg = Files.createTempFile("compositor", ".json");
        Files.writeString(compCfg, """
                {"bindHost": "127.0.0.1", "nodeToken": "%s",
                 "compositions": [{"name": "wall", "canvas": {"width": 640, "height": 360, "fps": 15},
                   "inputs": [{"stream": "studio", "holdMs": 500}],
                   "output": {"segmentSeconds": 1, "windowSegments": 6}}]}
                """.formatted(TOKEN));
        Map<String, String> compEnv = Map.of("STREAMLOOM_RTMP_PORT", String.valueOf(compRtmp),
                "STREAMLOOM_HTTP_PORT", String.valueOf(compHttp));
        compositor = CompositorNode.start(NodeConfig.load(compCfg, compEnv, 1936, 8082));

        Path edgeCfg = Files.createTempFile("edge", ".json");
        Files.writeString(edgeCfg, """
                {"bindHost": "127.0.0.1", "streams": [{"key": "%s", "spec": {"name": "studio",
                   "stages": [{"type": "grayscale"}], "encoding": {"bitrateKbps": 300},
                   "output": {"segmentSeconds": 1, "windowSegments": 6,
                              "forwardUrl": "rtmp://127.0.0.1:%d/live/studio?token=%s"}}}]}
                """.formatted(KEY, compRtmp, TOKEN));
        edge = EdgeNode.start(NodeConfig.load(edgeCfg, Map.of("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1935, 8081));
        // A green input: the edge's grayscale stage makes it neutral grey, so the composition shows the edge's
        // processed output, not the raw publication.
        publisher = SyntheticPublisher.builder().size(320, 240).fps(15).colour("0x10C020").toneHz(1000)
                .videoKbps(200).publishTo("rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + KEY);
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

        HlsProbe.Playlist edgeAfter = HlsProbe.fetchPlaylist(edgePlaylist);
        assertThat(publisher.isRunning()).isTrue();
        assertThat(edgeAfter.last().sequence()).isGreaterThan(edgeBefore.last().sequence());
        assertThat(edgeAfter.discontinuities() + edgeAfter.discontinuitySequence())
                .as("the edge's own stream went on without a break")
                .isEqualTo(edgeBefore.discontinuities() + edgeBefore.discontinuitySequence());
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
