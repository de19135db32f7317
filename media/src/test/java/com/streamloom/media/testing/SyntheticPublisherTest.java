package com.streamloom.media.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The synthetic publisher sends markers that arrive together over RTMP, for the A/V sync tests. */
class SyntheticPublisherTest {

    /**
     * The A/V-sync fixture itself must be in sync: served over RTMP and recorded by a second ffmpeg, every white
     * frame has a beep onset within one frame (33 ms at 30 fps).
     */
    @Test
    void flashAndBeepArriveTogetherOverRtmp(@TempDir Path dir) throws Exception {
        String url = "rtmp://127.0.0.1:" + Ports.free() + "/live/sync";
        Path recording = dir.resolve("rec.ts");
        try (SyntheticPublisher origin = SyntheticPublisher.builder().size(320, 240).fps(30)
                .flashAndBeepEvery(Duration.ofSeconds(1)).duration(Duration.ofMillis(3500)).serveAt(url)) {
            FfmpegCli.Result result = recordWithRetry(url, recording);
            assertThat(result.exitCode()).as(result.stderr() + origin.log()).isZero();
        }
        HlsProbe.Media media = HlsProbe.decode(Files.readAllBytes(recording));
        List<Long> flashes = new ArrayList<>();
        double previousY = 0;
        for (HlsProbe.Picture p : media.pictures()) {
            double y = p.regions().get(0).y();
            if (y > 180 && previousY <= 180) {
                flashes.add(p.timestampMicros());
            }
            previousY = y;
        }
        List<Long> beeps = media.audio().onsetsMicros(0.1);
        assertThat(flashes).as("white frames").hasSizeBetween(3, 4);
        assertThat(beeps).as("beep onsets").hasSameSizeAs(flashes);
        for (int i = 0; i < flashes.size(); i++) {
            assertThat(Math.abs(flashes.get(i) - beeps.get(i))).as("flash %d at %d, beep at %d", i,
                    flashes.get(i), beeps.get(i)).isLessThanOrEqualTo(33_334L);
        }
        assertThat(flashes.get(1) - flashes.get(0)).isBetween(990_000L, 1_010_000L);
    }

    /** The box marker lands where asked and the text marker renders (white glyphs on the dark box). */
    @Test
    void drawsBoxAndTextMarkers(@TempDir Path dir) throws Exception {
        String url = "rtmp://127.0.0.1:" + Ports.free() + "/live/markers";
        Path recording = dir.resolve("markers.ts");
        try (SyntheticPublisher origin = SyntheticPublisher.builder().size(320, 240).colour("black").toneHz(0)
                .box(160, 120, 160, 120, "blue").text("CAM 1").duration(Duration.ofSeconds(1)).serveAt(url)) {
            FfmpegCli.Result result = recordWithRetry(url, recording);
            assertThat(result.exitCode()).as(result.stderr() + origin.log()).isZero();
        }
        HlsProbe.Region box = new HlsProbe.Region(0.55, 0.55, 0.4, 0.4);
        HlsProbe.Region background = new HlsProbe.Region(0.05, 0.55, 0.4, 0.4);
        HlsProbe.Region text = new HlsProbe.Region(0, 0, 0.3, 0.12);
        HlsProbe.Media media = HlsProbe.decode(Files.readAllBytes(recording), box, background, text);
        assertThat(media.audio()).as("toneHz(0) publishes video only").isNull();
        HlsProbe.Picture p = media.pictures().get(media.pictures().size() / 2);
        assertThat(p.regions().get(0).u()).as("blue box: high U").isGreaterThan(200);
        assertThat(p.regions().get(1).y()).as("black background").isLessThan(20);
        assertThat(p.regions().get(1).u()).isCloseTo(128, org.assertj.core.api.Assertions.within(3.0));
        assertThat(p.regions().get(2).y()).as("glyphs brighten the corner").isGreaterThan(25);
    }

    /** The served ffmpeg listens a moment after it starts; a refused first connection is retried. */
    private static FfmpegCli.Result recordWithRetry(String url, Path out) throws InterruptedException {
        FfmpegCli.Result last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            last = FfmpegCli.run(Duration.ofSeconds(20), "-loglevel", "error", "-y", "-i", url, "-c", "copy",
                    "-f", "mpegts", out.toString());
            if (last.exitCode() == 0 || !last.stderr().contains("Connection refused")) {
                return last;
            }
            Thread.sleep(100);
        }
        return last;
    }
}
