package com.streamloom.bench.edge;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The edge benchmark command on a tiny input: every part runs and reports sane numbers. Nothing here
 * asserts on speed (the machine is shared); the README holds the measured 720p30 numbers.
 */
class EdgeBenchmarkTest {

    @Test
    void runsBothPipelinesAndBothLatencyMeasurementsOnATinyInput() {
        Path dir = Path.of("target", "edge-bench-test");
        EdgeBenchmark.Config c = new EdgeBenchmark.Config(320, 240, 30, 30, 60, 1.0, 9, 1, dir);

        EdgeReport r = EdgeBenchmark.run(c);

        assertThat(r.ours().frames()).isEqualTo(30);
        assertThat(r.cli().frames()).isEqualTo(30);
        for (var run : List.of(r.ours(), r.cli())) {
            assertThat(run.fps()).isPositive().isFinite();
            assertThat(run.cpuMsPerFrame()).isPositive().isFinite();
        }
        assertThat(r.fpsRatio()).isPositive().isFinite();
        assertThat(r.cpuRatio()).isPositive().isFinite();
        // Both wrote HLS: our packager's segments and playlist, and ffmpeg's.
        assertThat(dir.resolve("ours-round-0/bench/index.m3u8")).exists();
        assertThat(dir.resolve("cli-round-0/index.m3u8")).exists();
        assertThat(dir.resolve("cli-round-0/segment0.ts")).exists();

        assertThat(r.live().frames()).isEqualTo(60);
        assertThat(r.live().wallSeconds()).isGreaterThan(1.9);          // 60 frames at 30 fps, delivered in real time
        assertThat(r.live().latencyP50Ms()).isPositive().isLessThanOrEqualTo(r.live().latencyP99Ms());
        // Two 1 s segments; the last one, published by the end of the input, is not counted.
        assertThat(r.segmentsMeasured()).isEqualTo(1);
        assertThat(r.ingestToPlaylistMs()).hasSize(30);
        double p50 = r.ingestToPlaylistPercentileMs(0.5);
        double p95 = r.ingestToPlaylistPercentileMs(0.95);
        assertThat(p50).isPositive().isLessThanOrEqualTo(p95);
        // The first frame of a segment waits at least for the rest of the segment to arrive.
        assertThat(r.ingestToPlaylistMs()[29]).isGreaterThan(900);
        assertThat(r.ingestToPlaylistGoalMs()).isEqualTo(1200);
        // An LL-HLS part is published before (or, for a segment's last part, with) its segment.
        assertThat(r.ingestToPartMs()).hasSize(30);
        assertThat(r.ingestToPartPercentileMs(0.5)).isPositive().isLessThan(p50);
        for (int i = 0; i < 30; i++) {
            assertThat(r.ingestToPartMs()[i]).isLessThanOrEqualTo(r.ingestToPlaylistMs()[i]);
        }

        String table = r.table();
        assertThat(table).contains("streamloom", "ffmpeg CLI", "ratio (ours/CLI", "p99", "ingest → playlist",
                "load average", "ingest → LL-HLS part");
    }

    @Test
    void ingestToPlaylistSubtractsEachFramesPipelineLatencyAndSkipsTheLastSegment() {
        Instant published = Instant.ofEpochSecond(100);
        long publishedMicros = 100_000_000;
        // Frames reached the packager 500 and 400 ms before the playlist listed their segment; their LL-HLS parts
        // were published 100 ms after the first and (the segment's last part) with the segment.
        SegmentInfo first = new SegmentInfo("s", 7, 66_666, false, published,
                new long[] {publishedMicros - 500_000, publishedMicros - 400_000},
                new long[] {publishedMicros - 400_000, publishedMicros});
        SegmentInfo last = new SegmentInfo("s", 8, 33_333, false, published.plusSeconds(1),
                new long[] {publishedMicros + 100_000});
        // Pipeline latencies 20 ms and 30 ms (nanoseconds), and one for the last segment's frame.
        var itp = EdgeBenchmark.ingestToPlaylist(List.of(last, first), List.of(20_000_000L, 30_000_000L, 1L));

        assertThat(itp.segments()).isEqualTo(1);
        assertThat(itp.millis()).containsExactly(430.0, 520.0);
        assertThat(itp.partMillis()).containsExactly(120.0, 430.0);
    }

    @Test
    void ingestToPlaylistRefusesFrameCountsThatDoNotMatch() {
        SegmentInfo seg = new SegmentInfo("s", 1, 33_333, false, Instant.EPOCH, new long[] {1});
        assertThatThrownBy(() -> EdgeBenchmark.ingestToPlaylist(List.of(seg), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot match");
    }

    @Test
    void parsesOptionsAndRefusesUnknownOnes() {
        EdgeBenchmark.Config c = EdgeBenchmark.parse(new String[] {"--size=640x360", "--frames=90", "--segment=2",
                "--rounds=1", ""});
        assertThat(c.width()).isEqualTo(640);
        assertThat(c.height()).isEqualTo(360);
        assertThat(c.frames()).isEqualTo(90);
        assertThat(c.segmentSeconds()).isEqualTo(2.0);
        assertThat(c.rounds()).isEqualTo(1);
        assertThat(c.blurSigma()).isCloseTo(1.7, within(1e-9));     // OpenCV's sigma for a 9-tap kernel
        assertThatThrownBy(() -> EdgeBenchmark.parse(new String[] {"--speed=11"}))
                .hasMessageContaining("unknown option --speed");
        assertThatThrownBy(() -> EdgeBenchmark.parse(new String[] {"--size=big"}))
                .hasMessageContaining("bad value for --size");
        assertThatThrownBy(() -> EdgeBenchmark.parse(new String[] {"--segment=0.5"}))
                .hasMessageContaining("segment duration");
    }
}
