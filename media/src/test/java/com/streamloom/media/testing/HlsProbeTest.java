package com.streamloom.media.testing;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The HLS probe reads playlists and segments as a player would and refuses what is not a playlist. */
class HlsProbeTest {

    @Test
    void parsesSequenceDiscontinuitiesAndResolvesSegmentUris() {
        String text = """
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:41
                #EXT-X-DISCONTINUITY-SEQUENCE:3
                #EXT-X-PROGRAM-DATE-TIME:2026-11-25T01:00:00.000Z
                #EXTINF:2.000,
                seg41.ts
                #EXT-X-DISCONTINUITY
                #EXTINF:1.500,
                seg42.ts
                """;
        HlsProbe.Playlist p = HlsProbe.parse(URI.create("http://h/hls/cam/index.m3u8"), text);
        assertThat(p.targetDuration()).isEqualTo(2.0);
        assertThat(p.mediaSequence()).isEqualTo(41);
        assertThat(p.discontinuitySequence()).isEqualTo(3);
        assertThat(p.endList()).isFalse();
        assertThat(p.segments()).hasSize(2);
        assertThat(p.segments().get(0).programDateTime()).isEqualTo("2026-11-25T01:00:00.000Z");
        assertThat(p.segments().get(0).discontinuity()).isFalse();
        assertThat(p.last().sequence()).isEqualTo(42);
        assertThat(p.last().discontinuity()).isTrue();
        assertThat(p.last().durationSeconds()).isEqualTo(1.5);
        assertThat(p.last().uri()).isEqualTo(URI.create("http://h/hls/cam/seg42.ts"));
        assertThat(p.discontinuities()).isEqualTo(1);
    }

    @Test
    void rejectsTextThatIsNotAPlaylist() {
        assertThatThrownBy(() -> HlsProbe.parse(URI.create("http://h/x.m3u8"), "<html>"))
                .hasMessageContaining("#EXTM3U");
        assertThatThrownBy(() -> HlsProbe.parse(URI.create("http://h/x.m3u8"), "#EXTM3U\nseg.ts\n"))
                .hasMessageContaining("#EXTINF");
    }

    /** ffmpeg's own HLS muxer writes a red picture with a 1 kHz tone; the probe must read both back over HTTP. */
    @Test
    void fetchesAndDecodesSegmentsServedOverHttp(@TempDir Path dir) throws IOException {
        FfmpegCli.run(Duration.ofSeconds(30), "-loglevel", "error",
                "-f", "lavfi", "-i", "color=c=red:s=320x240:r=30",
                "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-ac", "1", "-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
                dir.resolve("index.m3u8").toString()).requireSuccess();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hls/", exchange -> {
            Path file = dir.resolve(Path.of(exchange.getRequestURI().getPath()).getFileName().toString());
            byte[] body = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
            exchange.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hls/index.m3u8");
            HlsProbe.Playlist playlist = HlsProbe.fetchPlaylist(uri);
            assertThat(playlist.endList()).isTrue();
            assertThat(playlist.segments()).hasSizeGreaterThanOrEqualTo(2);

            HlsProbe.Media media = HlsProbe.decode(HlsProbe.download(playlist.segments().get(0).uri()),
                    HlsProbe.Region.FULL, new HlsProbe.Region(0.5, 0.5, 0.5, 0.5));
            assertThat(media.pictures()).hasSizeGreaterThanOrEqualTo(25);
            HlsProbe.Picture first = media.pictures().get(0);
            assertThat(first.width()).isEqualTo(320);
            assertThat(first.height()).isEqualTo(240);
            // Pure red in BT.601 limited range: Y 81, U 90, V 240.
            for (HlsProbe.YuvMean m : first.regions()) {
                assertThat(m.y()).isCloseTo(81, within(3.0));
                assertThat(m.u()).isCloseTo(90, within(3.0));
                assertThat(m.v()).isCloseTo(240, within(3.0));
            }
            assertThat(media.audio()).isNotNull();
            assertThat(media.audio().sampleRate()).isEqualTo(48000);
            assertThat(media.audio().durationMicros()).isBetween(800_000L, 1_300_000L);
            assertThat(media.audio().toneLevel(1000)).isGreaterThan(0.05);
            assertThat(media.audio().toneLevel(3000)).isLessThan(0.01);
            assertThat(HlsProbe.get(uri.resolve("missing.ts")).statusCode()).isEqualTo(404);
        } finally {
            server.stop(0);
        }
    }
}
