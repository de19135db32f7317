package com.streamloom.edge;

import com.streamloom.node.NodeConfig;
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
 * {@code takeoverOnRepublish}: with it on, a second publisher on a live key takes the stream over,
 * the first one's connection is closed and the playlist goes on with the new picture; never two publishers feed the
 * stream. With it off (the default) the second one is refused, and the first keeps the stream.
 */
class EdgeTakeoverTest {
    static final String KEY = "takeover-key-0123456789";
    // Solid colours far apart in chroma: red has V ~ 240, blue has U ~ 240.
    static final String FIRST = "red";
    static final String SECOND = "blue";

    EdgeNode edge;
    SyntheticPublisher first;
    SyntheticPublisher second;

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[]{first, second, edge}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing the others matters more
            }
        }
    }

    @Test
    void withTakeoverTheSecondPublisherReplacesTheFirst() throws Exception {
        URI playlist = startWithTheFirstPublisherLive(true);
        long seqBefore = HlsProbe.fetchPlaylist(playlist).last().sequence();

        second = publish(SECOND);
        // The first publisher's next packet is refused and its connection closed: ffmpeg exits.
        assertThat(first.awaitExit(Duration.ofSeconds(20))).as("first publisher still connected: " + first.log())
                .isTrue();
        assertThat(second.isRunning()).as(second.log()).isTrue();
        awaitNewestSegmentIs(playlist, SECOND);

        // The playlist went on (no new packager, sequence numbers still rising) and, once the new picture is in,
        // only the new publisher feeds it: two more segments, every picture of them the second colour.
        HlsProbe.Playlist p = HlsProbe.fetchPlaylist(playlist);
        assertThat(p.last().sequence()).isGreaterThan(seqBefore);
        // The new publisher's timestamps have nothing to do with the old one's: like a publisher that reconnects,
        // it continues the output clock after a discontinuity (without it, the encoder refused the new frames as
        // non-monotonic for as long as the first publisher had been live).
        assertThat(p.discontinuities() + p.discontinuitySequence()).as("a discontinuity at the takeover").isEqualTo(1);
        long prev = -1;
        for (HlsProbe.Segment s : p.segments()) {
            assertThat(s.sequence()).isGreaterThan(prev);
            prev = s.sequence();
        }
        long seqTaken = p.last().sequence();
        HlsProbe.Playlist later = awaitSegmentAfter(playlist, seqTaken + 1);
        for (HlsProbe.Segment s : later.segments()) {
            if (s.sequence() > seqTaken) {
                for (HlsProbe.Picture pic : HlsProbe.decode(HlsProbe.download(s.uri())).pictures()) {
                    assertThat(colourOf(pic)).as("segment %d", s.sequence()).isEqualTo(SECOND);
                }
            }
        }
        assertThat(edge.streams().get("studio").isPublishing()).isTrue();
        assertThat(second.isRunning()).as(second.log()).isTrue();
    }

    @Test
    void withoutTakeoverTheSecondPublisherIsRefusedAndTheFirstKeepsTheStream() throws Exception {
        URI playlist = startWithTheFirstPublisherLive(false);
        second = publish(SECOND);
        assertThat(second.awaitExit(Duration.ofSeconds(20))).as("second publisher not refused: " + second.log())
                .isTrue();
        assertThat(first.isRunning()).as(first.log()).isTrue();
        long seq = HlsProbe.fetchPlaylist(playlist).last().sequence();
        HlsProbe.Playlist later = awaitSegmentAfter(playlist, seq);
        assertThat(colourOf(lastPicture(later))).isEqualTo(FIRST);
    }

    /** Starts the edge, publishes the first colour and waits until it is in the playlist; returns the playlist. */
    private URI startWithTheFirstPublisherLive(boolean takeover) throws Exception {
        edge = start(takeover);
        URI playlist = URI.create("http://127.0.0.1:" + edge.httpPort() + "/hls/studio/index.m3u8");
        first = publish(FIRST);
        awaitNewestSegmentIs(playlist, FIRST);
        return playlist;
    }

    private static EdgeNode start(boolean takeover) throws Exception {
        Path cfg = Files.createTempFile("edge-takeover", ".json");
        try {
            Files.writeString(cfg, """
                    {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1", "nodeToken": "Ns7-Qx2Lw9Rk4Tz8Vm3Pc6Hb",
                     "takeoverOnRepublish": %s,
                     "streams": [{"key": "%s", "spec": {"name": "studio",
                       "encoding": {"bitrateKbps": 300}, "output": {"segmentSeconds": 1, "windowSegments": 6}}}]}
                    """.formatted(takeover, KEY));
            return EdgeNode.start(NodeConfig.load(cfg, Map.of("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                    "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1935, 8081));
        } finally {
            Files.deleteIfExists(cfg);
        }
    }

    private SyntheticPublisher publish(String colour) {
        return SyntheticPublisher.builder().size(160, 120).fps(15).colour(colour).toneHz(0).videoKbps(200)
                .publishTo("rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + KEY);
    }

    /** Waits until the newest segment's last picture shows {@code colour}. */
    private static void awaitNewestSegmentIs(URI playlist, String colour) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> colour.equals(colourOf(lastPicture(HlsProbe.fetchPlaylist(playlist)))));
    }

    private static HlsProbe.Playlist awaitSegmentAfter(URI playlist, long sequence) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> HlsProbe.fetchPlaylist(playlist), p -> p.last().sequence() > sequence);
    }

    private static HlsProbe.Picture lastPicture(HlsProbe.Playlist p) {
        var pictures = HlsProbe.decode(HlsProbe.download(p.last().uri())).pictures();
        return pictures.get(pictures.size() - 1);
    }

    private static String colourOf(HlsProbe.Picture pic) {
        HlsProbe.YuvMean m = pic.regions().get(0);
        if (m.v() > 180 && m.u() < 128) {
            return "red";
        }
        if (m.u() > 180 && m.v() < 150) {
            return "blue";
        }
        return "other (Y " + Math.round(m.y()) + ", U " + Math.round(m.u()) + ", V " + Math.round(m.v()) + ")";
    }
}
