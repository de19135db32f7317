package com.streamloom.edge;

import com.streamloom.media.testing.FfmpegCli;
import com.streamloom.media.testing.GeneratedMedia;
import com.streamloom.media.testing.HlsProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Enhanced RTMP (HEVC) is welcome: HEVC encoded by libx265 in the ffmpeg CLI that JavaCV ships,
 * published over Enhanced RTMP (ExVideoTagHeader, FourCC hvc1) first by the ffmpeg CLI itself (FFmpeg 8's RTMP
 * client and FLV muxer) and then by the OBS-like librtmp client (OBS 30 sends HEVC in the same tags: sequence start,
 * then CodedFramesX when there is no composition offset). The edge decodes the HEVC and its HLS, H.264, plays with
 * the source's picture and tone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeEnhancedRtmpHevcTest {
    static final String KEY = "hevc-publisher-key-0123456789";
    static final int TONE_HZ = 1000;
    static Path hevc;
    static SourcePictures source;
    static OneStreamEdge edge;

    @BeforeAll
    static void startEdge() throws Exception {
        hevc = GeneratedMedia.generate("hevc-aac-640x360-15s.flv",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=" + TONE_HZ + ":sample_rate=48000",
                "-t", "15", "-c:v", "libx265", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-x265-params", "keyint=60:min-keyint=60:log-level=error", "-b:v", "1500k",
                "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-f", "flv");
        source = SourcePictures.decode(hevc);
        edge = OneStreamEdge.start("hevc", KEY);
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    @Order(0)
    void theSourceIsHevcInEnhancedRtmpTags() throws Exception {
        byte[] flv = Files.readAllBytes(hevc);
        List<Integer> videoHeaders = new ArrayList<>();
        int pos = ((flv[5] & 0xFF) << 24 | (flv[6] & 0xFF) << 16 | (flv[7] & 0xFF) << 8 | (flv[8] & 0xFF)) + 4;
        while (pos + 16 <= flv.length) {
            if (flv[pos] == 9) { // a video tag: [IsExHeader | FrameType | PacketType] FourCC ...
                videoHeaders.add(flv[pos + 11] & 0xFF);
                assertThat(new String(flv, pos + 12, 4, StandardCharsets.US_ASCII)).isEqualTo("hvc1");
            }
            pos += 11 + ((flv[pos + 1] & 0xFF) << 16 | (flv[pos + 2] & 0xFF) << 8 | (flv[pos + 3] & 0xFF)) + 4;
        }
        assertThat(videoHeaders).allMatch(h -> (h & 0x80) != 0, "IsExHeader");
        assertThat(videoHeaders.get(0) & 0x0F).as("PacketTypeSequenceStart first").isZero();
        assertThat(videoHeaders.stream().filter(h -> (h & 0x0F) == 3).count()).as("CodedFramesX")
                .isGreaterThan(400);
        assertThat(source.lumaContrast()).isGreaterThan(50);
    }

    @Test
    @Order(1)
    void theFfmpegCliPublishesHevcAndTheHlsPlaysItAsH264() {
        try (FfmpegCli ffmpeg = FfmpegCli.start("-re", "-i", hevc.toString(), "-c", "copy", "-f", "flv",
                edge.server + "/" + KEY)) {
            HlsProbe.Playlist p = edge.awaitPlaylist(pl -> pl.segments().size() >= 3);
            assertThat(ffmpeg.isAlive()).as(ffmpeg.stderr()).isTrue();
            assertThat(edge.state()).isEqualTo("live");
            assertVideoCodec(p.last(), "h264");
            source.assertCarriedBy(SourcePictures.longestRecent(p), TONE_HZ);
        }
        await().atMost(Duration.ofSeconds(5)).until(edge::state, "waiting"::equals);
    }

    @Test
    @Order(2)
    void theObsLikeClientPublishesHevcAndTheHlsPlaysIt() {
        long before = edge.awaitPlaylist(pl -> !pl.segments().isEmpty()).last().sequence();
        try (ObsLikePublisher obs = ObsLikePublisher.start(edge.server, KEY, hevc)) {
            HlsProbe.Playlist p = edge.awaitPlaylist(pl -> pl.last().sequence() > before + 2);
            assertThat(obs.isRunning()).as(obs.log()).isTrue();
            assertThat(obs.stderr()).contains("NetStream.Publish.Start");
            assertVideoCodec(p.last(), "h264");
            source.assertCarriedBy(SourcePictures.longestRecent(p), TONE_HZ);
            assertThat(obs.stop(Duration.ofSeconds(10))).as(obs.log()).isEqualTo(ObsLikePublisher.EXIT_OK);
        }
    }

    private static void assertVideoCodec(HlsProbe.Segment segment, String codec) {
        FfmpegCli.Result probe = FfmpegCli.probe(Duration.ofSeconds(20), "-v", "error", "-select_streams", "v:0",
                "-show_entries", "stream=codec_name", "-of", "csv=p=0", segment.uri().toString()).requireSuccess();
        // ffprobe lists an MPEG-TS stream once by itself and once under its program
        assertThat(probe.stdoutText().lines().map(String::strip).filter(l -> !l.isEmpty()).distinct())
                .containsExactly(codec);
    }
}
