package com.streamloom.bench.edge;

import com.streamloom.bench.BenchRow;
import com.streamloom.bench.pipeline.PipelineBenchmark;
import com.streamloom.media.hls.HlsSettings;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static com.streamloom.bench.edge.EdgeBenchmark.BITRATE_KBPS;
import static com.streamloom.bench.edge.EdgeBenchmark.trim;
import static com.streamloom.bench.edge.EdgeBenchmark.warmUpFrames;

/**
 * What the edge benchmark measured, as its own table ({@link #table}) and as rows of the benchmark summary
 * ({@link #summaryRows}).
 *
 * @param ingestToPlaylistMs each frame's ingest-to-playlist latency, sorted, in milliseconds
 * @param ingestToPartMs     each frame's ingest to the publication of the LL-HLS part holding it, sorted, in
 *                           milliseconds: when an LL-HLS player can fetch it
 */
public record EdgeReport(EdgeBenchmark.Config config, Instant when, String loadAverage,
                         List<PipelineBenchmark.Result> oursRounds, List<PipelineBenchmark.Result> cliRounds,
                         PipelineBenchmark.Result live, double[] ingestToPlaylistMs, double[] ingestToPartMs,
                         int segmentsMeasured) {
    /** The real-time latency goal, packet in to encoded packet out (p99). */
    public static final int LIVE_LATENCY_GOAL_MS = 50;

    public EdgeReport {
        if (oursRounds.isEmpty() || oursRounds.size() != cliRounds.size()) {
            throw new IllegalArgumentException("need the same number (at least one) of rounds for both sides");
        }
        oursRounds = List.copyOf(oursRounds);
        cliRounds = List.copyOf(cliRounds);
    }

    /** Our median round by fps. */
    public PipelineBenchmark.Result ours() {
        return median(oursRounds);
    }

    /** The CLI's median round by fps. */
    public PipelineBenchmark.Result cli() {
        return median(cliRounds);
    }

    /**
     * Frames per second, ours / CLI, the median of each round's ratio (the two runs of a round are back to back,
     * under nearly the same load): above 1 means we are faster.
     */
    public double fpsRatio() {
        return medianOf(i -> oursRounds.get(i).fps() / cliRounds.get(i).fps());
    }

    /** CPU per frame, CLI / ours, the median of each round's ratio: above 1 means we use less CPU per frame. */
    public double cpuRatio() {
        return medianOf(i -> cliRounds.get(i).cpuMsPerFrame() / oursRounds.get(i).cpuMsPerFrame());
    }

    private double medianOf(java.util.function.IntToDoubleFunction roundRatio) {
        double[] r = java.util.stream.IntStream.range(0, oursRounds.size()).mapToDouble(roundRatio).sorted()
                .toArray();
        return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
    }

    public double ingestToPlaylistPercentileMs(double q) {
        return percentile(ingestToPlaylistMs, q);
    }

    public double ingestToPartPercentileMs(double q) {
        return percentile(ingestToPartMs, q);
    }

    /** The ingest-to-playlist goal: segment length + 200 ms. */
    public double ingestToPlaylistGoalMs() {
        return config.segmentSeconds() * 1000 + 200;
    }

    public String table() {
        EdgeBenchmark.Config c = config;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "edge pipeline, %dx%d@%d, %d frames: decode → gaussian-blur(%d) → text"
                        + " → x264 veryfast zerolatency %d kb/s → HLS %s s%n", c.width(), c.height(), c.fps(),
                oursRounds.get(0).frames(), c.blurKernel(), BITRATE_KBPS, trim(c.segmentSeconds())));
        b.append(String.format(Locale.ROOT, "%s, load average %s, median of %d rounds after a %d-frame warm-up%n",
                when.truncatedTo(ChronoUnit.SECONDS), loadAverage, oursRounds.size(), warmUpFrames(c)));
        PipelineBenchmark.Result ours = ours();
        PipelineBenchmark.Result cli = cli();
        b.append(String.format(Locale.ROOT, "%-12s %8s %14s   %s%n", "", "fps", "CPU-ms/frame",
                "rounds (fps / CPU-ms)"));
        b.append(String.format(Locale.ROOT, "%-12s %8.1f %14.2f   %s%n", "streamloom", ours.fps(),
                ours.cpuMsPerFrame(), rounds(oursRounds)));
        b.append(String.format(Locale.ROOT, "%-12s %8.1f %14.2f   %s%n", "ffmpeg CLI", cli.fps(),
                cli.cpuMsPerFrame(), rounds(cliRounds)));
        b.append(String.format(Locale.ROOT, "ratio (ours/CLI, median of the rounds' ratios): fps %.2f, CPU %.2f"
                + " (higher is better, goal ≥ 1.0)%n", fpsRatio(), cpuRatio()));
        b.append(String.format(Locale.ROOT, "real-time latency (packet in → encoded out), %d frames at %d fps: "
                        + "p50 %.1f ms, p99 %.1f ms (goal ≤ %d), drops %d, %.1f CPU-ms/frame%n", live.frames(),
                c.fps(), live.latencyP50Ms(), live.latencyP99Ms(), LIVE_LATENCY_GOAL_MS, live.drops(), live.cpuMsPerFrame()));
        b.append(String.format(Locale.ROOT, "ingest → playlist, segment %s s, %d frames in %d segments: p50 %.0f ms,"
                        + " p95 %.0f ms (goal ≤ %.0f)%n", trim(c.segmentSeconds()), ingestToPlaylistMs.length,
                segmentsMeasured, ingestToPlaylistPercentileMs(0.5), ingestToPlaylistPercentileMs(0.95),
                ingestToPlaylistGoalMs()));
        b.append(String.format(Locale.ROOT, "ingest → LL-HLS part, part target %.0f ms, same frames: p50 %.0f ms,"
                        + " p95 %.0f ms%n", HlsSettings.DEFAULT_PART_MICROS / 1000.0,
                ingestToPartPercentileMs(0.5), ingestToPartPercentileMs(0.95)));
        return b.toString();
    }

    /**
     * The edge's rows of the benchmark summary: throughput and CPU against the ffmpeg CLI (the median of the rounds'
     * ratios, as in {@link #table}), and the two latencies against their goals.
     */
    public List<BenchRow> summaryRows() {
        String size = config.width() + "x" + config.height();
        PipelineBenchmark.Result ours = ours();
        PipelineBenchmark.Result cli = cli();
        double p99 = live.latencyP99Ms();
        double p95 = ingestToPlaylistPercentileMs(0.95);
        return List.of(
                new BenchRow("edge " + size + " blur+text+x264+HLS: fps",
                        String.format(Locale.ROOT, "%.1f fps", ours.fps()),
                        String.format(Locale.ROOT, "%.1f fps (ffmpeg CLI)", cli.fps()), fpsRatio()),
                new BenchRow("edge " + size + " blur+text+x264+HLS: CPU per frame",
                        String.format(Locale.ROOT, "%.2f ms", ours.cpuMsPerFrame()),
                        String.format(Locale.ROOT, "%.2f ms (ffmpeg CLI)", cli.cpuMsPerFrame()), cpuRatio()),
                BenchRow.lowerIsBetter("edge live latency p99 (packet in -> encoded out)",
                        String.format(Locale.ROOT, "%.1f ms", p99), "goal <= " + LIVE_LATENCY_GOAL_MS + " ms", p99,
                        LIVE_LATENCY_GOAL_MS),
                BenchRow.lowerIsBetter("edge ingest -> playlist p95, " + trim(config.segmentSeconds()) + " s segments",
                        String.format(Locale.ROOT, "%.0f ms", p95),
                        String.format(Locale.ROOT, "goal <= %.0f ms", ingestToPlaylistGoalMs()), p95,
                        ingestToPlaylistGoalMs()));
    }

    private static String rounds(List<PipelineBenchmark.Result> runs) {
        StringBuilder b = new StringBuilder();
        for (PipelineBenchmark.Result r : runs) {
            b.append(String.format(Locale.ROOT, "%s%.1f/%.1f", b.length() == 0 ? "" : "  ", r.fps(), r.cpuMsPerFrame()));
        }
        return b.toString();
    }

    private static PipelineBenchmark.Result median(List<PipelineBenchmark.Result> runs) {
        List<PipelineBenchmark.Result> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(PipelineBenchmark.Result::fps));
        return sorted.get(sorted.size() / 2);
    }

    /** Nearest-rank percentile of sorted values; NaN if there are none. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }
}
