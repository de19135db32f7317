package com.streamloom.edge;

import com.streamloom.node.NodeConfig;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.SyntheticPublisher;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A/V sync through the whole edge: a publisher sends a white flash and a beep at the same source time every
 * second over RTMP; the edge re-encodes the video (through a stage) and carries the AAC; in the HLS it serves, each
 * flash and its beep line up within one frame (33 ms at 30 fps).
 */
class EdgeAvSyncTest {
    static final String KEY = "av-sync-test-key-0123456789";

    @Test
    void flashAndBeepLineUpWithinOneFrameInTheHlsOutput() throws Exception {
        Path cfg = Files.createTempFile("edge", ".json");
        Files.writeString(cfg, """
                {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1",
                 "streams": [{"key": "%s", "spec": {"name": "sync", "stages": [{"type": "brightness-contrast",
                   "brightness": 1}], "encoding": {"bitrateKbps": 600},
                   "output": {"segmentSeconds": 2, "windowSegments": 10}}}]}
                """.formatted(KEY));
        try (EdgeNode edge = EdgeNode.start(NodeConfig.load(cfg, Map.of("STREAMLOOM_RTMP_PORT",
                String.valueOf(Ports.free()), "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1935, 8081));
             SyntheticPublisher publisher = SyntheticPublisher.builder().size(320, 240).fps(30).toneHz(1000)
                     .flashAndBeepEvery(Duration.ofSeconds(1))
                     .publishTo("rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + KEY)) {
            URI playlist = URI.create("http://127.0.0.1:" + edge.httpPort() + "/hls/sync/index.m3u8");
            HlsProbe.Playlist p = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> HlsProbe.fetchPlaylist(playlist), pl -> pl.segments().size() >= 4);
            // consecutive segments concatenated are one MPEG-TS stream with one timeline
            ByteArrayOutputStream ts = new ByteArrayOutputStream();
            for (HlsProbe.Segment s : p.segments().subList(p.segments().size() - 3, p.segments().size())) {
                ts.write(HlsProbe.download(s.uri()));
            }
            HlsProbe.Media media = HlsProbe.decode(ts.toByteArray());
            List<Long> flashes = new ArrayList<>();
            boolean white = false;
            for (HlsProbe.Picture pic : media.pictures()) {
                boolean now = pic.regions().get(0).y() > 180;
                if (now && !white) {
                    flashes.add(pic.timestampMicros());
                }
                white = now;
            }
            List<Long> beeps = media.audio().onsetsMicros(0.05);
            assertThat(flashes).as("flashes in 6 s of output").hasSizeGreaterThanOrEqualTo(4);
            assertThat(beeps).as("beeps in 6 s of output").hasSizeGreaterThanOrEqualTo(4);
            for (long flash : flashes) {
                long nearest = beeps.stream().min((a, b) -> Long.compare(Math.abs(a - flash), Math.abs(b - flash)))
                        .orElseThrow();
                assertThat(Math.abs(nearest - flash)).as("beep vs flash at %d µs", flash).isLessThanOrEqualTo(33_333);
            }
        }
    }
}
