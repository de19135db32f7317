package com.streamloom.bench.pipeline;

import com.streamloom.media.testing.GeneratedMedia;
import com.streamloom.media.testing.PaintLumaStage;
import com.streamloom.spec.EncodingSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The edge benchmark's helpers measure real runs (small input here; the command uses 720p30). */
class PipelineBenchmarkTest {
    private static final EncodingSpec FAST = new EncodingSpec("ultrafast", 800, 0, "copy");

    @Test
    void throughputRunsEveryFrameAndReportsFpsAndCpu() {
        Path src = GeneratedMedia.testPattern(320, 240, 30, 2);
        AtomicInteger videoOut = new AtomicInteger();
        PipelineBenchmark.Result r = PipelineBenchmark.throughput(src, 45, new PipelineBenchmark.Setup(
                List.of(new PaintLumaStage("paint", 100, 32, 32, 0)), FAST, null, 1_000_000,
                p -> { if (p.isVideo() && !p.config()) videoOut.incrementAndGet(); }));
        assertThat(r.frames()).isEqualTo(45);
        assertThat(videoOut.get()).isEqualTo(45);
        assertThat(r.fps()).isPositive();
        assertThat(r.cpuMsPerFrame()).isPositive();
        assertThat(r.drops()).isZero();
    }

    @Test
    void realTimeReportsLatencyPercentiles() {
        Path src = GeneratedMedia.flashAndBeep();
        PipelineBenchmark.Result r = PipelineBenchmark.realTime(src, 30, new PipelineBenchmark.Setup(
                List.of(), FAST, null, 1_000_000, null));
        assertThat(r.frames()).isEqualTo(30);
        assertThat(r.wallSeconds()).isGreaterThan(0.9);        // 30 frames at 30 fps take a second
        assertThat(r.latencyP50Ms()).isPositive().isLessThanOrEqualTo(r.latencyP99Ms());
        assertThat(r.latencyP99Ms()).isLessThan(1000);
    }

    @Test
    void ffmpegCliReportsItsOwnCpuAndWallTime() {
        Path src = GeneratedMedia.testPattern(320, 240, 30, 2);
        PipelineBenchmark.Result r = PipelineBenchmark.ffmpegCli(src, 45, "gblur=sigma=2", FAST, null);
        assertThat(r.frames()).isEqualTo(45);
        assertThat(r.wallSeconds()).isPositive();
        assertThat(r.cpuSeconds()).isPositive();
    }
}
