package com.streamloom.bench.edge;

import com.streamloom.bench.BenchResults;
import com.streamloom.bench.pipeline.PipelineBenchmark;
import com.streamloom.media.codec.VideoDecoder;
import com.streamloom.media.filter.Filters;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.overlay.Overlays;
import com.streamloom.media.pipeline.FrameStage;
import com.streamloom.spec.EncodingSpec;
import com.streamloom.spec.StageSpec;
import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The edge benchmark command: on one generated input (720p30 by default, H.264 without B-frames as
 * OBS sends with {@code tune=zerolatency}) it runs
 * <ol>
 *   <li>our edge pipeline, decode → gaussian blur → text overlay → x264 veryfast zerolatency → {@link HlsPackager}
 *       writing segments to disk, as fast as it can (offline decoder threading), after a warm-up pass that is not
 *       measured (JIT compilation, font loading, first native allocations);</li>
 *   <li>JavaCV's ffmpeg program (the same FFmpeg build) doing the same graph: {@code gblur} with the sigma OpenCV
 *       derives for our kernel, {@code drawtext} with the font file our overlay renders with, libx264 with the same
 *       preset, tune, bitrate, VBV and forced IDR frames at segment boundaries, {@code -f hls} with the same segment
 *       length into a temporary directory; its CPU time is its own ({@code -benchmark}'s utime + stime);</li>
 *   <li>our pipeline again with packets delivered in real time (at their timestamps, like a publisher, with the
 *       low-latency decoder the edge uses), for per-frame latency (packet in → encoded packet out) and ingest-to-
 *       playlist latency (a frame's arrival → the playlist first listing the segment that holds it).</li>
 * </ol>
 * The throughput pair is run {@code rounds} times back to back, who goes first alternating, and the ratios are the
 * median of the rounds' ratios, because the machine is shared and its load changes from second to second; each
 * side's median round is shown with every round's numbers.
 *
 * <p>Run: {@code ./mvnw -B -Pbench verify} with the other benchmarks (see README, "Benchmarks"), or alone:
 * {@code java -cp <bench's runtime classpath> com.streamloom.bench.edge.EdgeBenchmark --rounds=5}.
 * Options ({@code --name=value}): {@code size} (1280x720), {@code fps} (30), {@code frames} (300), {@code live-frames}
 * (600), {@code segment} (seconds, 1), {@code kernel} (9), {@code rounds} (5), {@code dir} (target/edge-bench).
 */
public final class EdgeBenchmark {
    /** The overlay text: a clock, so both sides redraw it when it changes (ffmpeg's %{localtime} prints the same). */
    static final String OUR_TEXT = "StreamLoom {date} {time}";
    static final String CLI_TEXT = "StreamLoom %{localtime}";
    static final String FONT_FAMILY = "DejaVu Sans";
    static final int FONT_SIZE = 32;
    static final int BITRATE_KBPS = 2500;
    static final int WINDOW_SEGMENTS = 6;
    static final int WARM_UP_FRAMES = 150;

    /** What to run. */
    public record Config(int width, int height, int fps, int frames, int liveFrames, double segmentSeconds,
                         int blurKernel, int rounds, Path workDir) {
        public Config {
            if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("size must be even and at least 16x16, not " + width + "x" + height);
            }
            if (fps < 1 || frames < 1 || liveFrames < 1 || rounds < 1) {
                throw new IllegalArgumentException("fps, frames, live-frames and rounds must be positive");
            }
            if (blurKernel < 3 || blurKernel % 2 == 0) {
                throw new IllegalArgumentException("kernel must be odd and at least 3, not " + blurKernel);
            }
            new HlsSettings(segmentMicros(segmentSeconds), WINDOW_SEGMENTS, HlsSettings.DEFAULT_PART_MICROS, null);
        }

        public static Config defaults() {
            return new Config(1280, 720, 30, 300, 600, 1.0, 9, 5, Path.of("target", "edge-bench"));
        }

        long segmentMicros() {
            return segmentMicros(segmentSeconds);
        }

        private static long segmentMicros(double seconds) {
            return Math.round(seconds * 1_000_000);
        }

        /** The sigma OpenCV derives from a kernel size when sigma is 0 (getGaussianKernel), used by our blur. */
        double blurSigma() {
            return 0.3 * ((blurKernel - 1) * 0.5 - 1) + 0.8;
        }
    }

    private EdgeBenchmark() {
    }

    public static void main(String[] args) {
        // Maven passes -Dbench.args as one argument: split it into options.
        Config c = parse(String.join(" ", args).trim().split("\\s+"));
        EdgeReport report = run(c);
        System.out.print(report.table());
        BenchResults.publish("edge", report.summaryRows());
    }

    static Config parse(String[] args) {
        Config d = Config.defaults();
        int width = d.width();
        int height = d.height();
        int fps = d.fps();
        int frames = d.frames();
        int liveFrames = d.liveFrames();
        double segment = d.segmentSeconds();
        int kernel = d.blurKernel();
        int rounds = d.rounds();
        Path dir = d.workDir();
        for (String arg : args) {
            if (arg.isEmpty()) {
                continue;
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            try {
                switch (name) {
                    case "size" -> {
                        String[] wh = value.split("x");
                        width = Integer.parseInt(wh[0]);
                        height = Integer.parseInt(wh[1]);
                    }
                    case "fps" -> fps = Integer.parseInt(value);
                    case "frames" -> frames = Integer.parseInt(value);
                    case "live-frames" -> liveFrames = Integer.parseInt(value);
                    case "segment" -> segment = Double.parseDouble(value);
                    case "kernel" -> kernel = Integer.parseInt(value);
                    case "rounds" -> rounds = Integer.parseInt(value);
                    case "dir" -> dir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option --" + name
                            + "; options: size fps frames live-frames segment kernel rounds dir");
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("bad value for --" + name + ": '" + value + "'", e);
            }
        }
        return new Config(width, height, fps, frames, liveFrames, segment, kernel, rounds, dir);
    }

    /** Runs everything and returns the measurements; files go under {@code config.workDir()}. */
    public static EdgeReport run(Config c) {
        Instant started = Instant.now();
        String load = loadAverage();        // before we add our own load
        Path input = generateInput(c);
        EncodingSpec encoding = new EncodingSpec("veryfast", BITRATE_KBPS, 0, "none");
        VideoDecoder.Options offline = new VideoDecoder.Options(VideoDecoder.Threading.FRAME, 0);

        ourThroughput(c, input, warmUpFrames(c), encoding, offline, "warm-up");
        List<PipelineBenchmark.Result> ours = new ArrayList<>();
        List<PipelineBenchmark.Result> cli = new ArrayList<>();
        for (int round = 0; round < c.rounds(); round++) {
            // Alternate who goes first, so a load change during a round does not always favour the same side.
            if (round % 2 == 0) {
                ours.add(ourThroughput(c, input, c.frames(), encoding, offline, "round-" + round));
                cli.add(cliThroughput(c, input, encoding, "round-" + round));
            } else {
                cli.add(cliThroughput(c, input, encoding, "round-" + round));
                ours.add(ourThroughput(c, input, c.frames(), encoding, offline, "round-" + round));
            }
        }

        List<Long> latencies = new CopyOnWriteArrayList<>();
        PipelineBenchmark.Result live;
        PublicationRecorder recorder = new PublicationRecorder(
                new HlsPackager("bench-live", settings(c, null), Clock.systemUTC()), Clock.systemUTC());
        try (recorder) {
            live = PipelineBenchmark.realTime(input, c.liveFrames(), new PipelineBenchmark.Setup(stages(c), encoding,
                    VideoDecoder.Options.lowLatency(), c.segmentMicros(), recorder), latencies::add);
        }
        IngestToPlaylist itp = ingestToPlaylist(recorder.segments(), latencies);
        return new EdgeReport(c, started, load, ours, cli, live, itp.millis(), itp.partMillis(), itp.segments());
    }

    /**
     * Every frame's ingest-to-playlist delay, its ingest-to-part delay (the LL-HLS part holding it published), and how
     * many segments they came from.
     */
    record IngestToPlaylist(double[] millis, double[] partMillis, int segments) {
    }

    /**
     * A frame's ingest time is its arrival at the packager minus its pipeline latency: the processor reports each
     * encoded frame's latency just before handing the packet to the packager, on the same thread and in the same
     * order, so the k-th latency belongs to the k-th frame the packager lists. The last segment is left out: a
     * segment is published when the next keyframe arrives, so the last one is published only by the end of the
     * input, which says nothing about a live stream.
     */
    static IngestToPlaylist ingestToPlaylist(List<SegmentInfo> segments, List<Long> latencyNanos) {
        List<SegmentInfo> ordered = new ArrayList<>(segments);
        ordered.sort(Comparator.comparingLong(SegmentInfo::sequence));
        int total = ordered.stream().mapToInt(SegmentInfo::videoFrames).sum();
        if (total != latencyNanos.size()) {
            throw new IllegalStateException("the packager listed " + total + " frames but the pipeline encoded "
                    + latencyNanos.size() + "; cannot match frames to their arrival");
        }
        List<Double> out = new ArrayList<>();
        List<Double> parts = new ArrayList<>();
        int k = 0;
        for (int s = 0; s < ordered.size(); s++) {
            SegmentInfo seg = ordered.get(s);
            long publishedMicros = seg.publishedAt().getEpochSecond() * 1_000_000 + seg.publishedAt().getNano() / 1000;
            long[] arrivals = seg.frameArrivalsMicros();
            for (int f = 0; f < arrivals.length; f++) {
                long ingest = arrivals[f] - latencyNanos.get(k++) / 1000;
                if (s < ordered.size() - 1) {
                    out.add((publishedMicros - ingest) / 1000.0);
                    parts.add((seg.framePartsPublishedMicros()[f] - ingest) / 1000.0);
                }
            }
        }
        return new IngestToPlaylist(out.stream().mapToDouble(Double::doubleValue).sorted().toArray(),
                parts.stream().mapToDouble(Double::doubleValue).sorted().toArray(), Math.max(0, ordered.size() - 1));
    }

    private static PipelineBenchmark.Result ourThroughput(Config c, Path input, int frames, EncodingSpec encoding,
                                                          VideoDecoder.Options decoder, String run) {
        Path dir = clean(c.workDir().resolve("ours-" + run));
        try (HlsPackager hls = new HlsPackager("bench", settings(c, dir), Clock.systemUTC())) {
            return PipelineBenchmark.throughput(input, frames,
                    new PipelineBenchmark.Setup(stages(c), encoding, decoder, c.segmentMicros(), hls));
        }
    }

    private static PipelineBenchmark.Result cliThroughput(Config c, Path input, EncodingSpec encoding, String run) {
        Path dir = clean(c.workDir().resolve("cli-" + run));
        return PipelineBenchmark.ffmpegCli(input, c.frames(), cliFilter(c), encoding, c.segmentMicros(), List.of(
                "-f", "hls", "-hls_time", trim(c.segmentSeconds()), "-hls_list_size", String.valueOf(WINDOW_SEGMENTS),
                "-hls_segment_filename", dir.resolve("segment%d.ts").toString(),
                dir.resolve("index.m3u8").toString()));
    }

    /** Our stages, built from specs exactly as the edge builds a stream's pipeline. */
    static List<FrameStage> stages(Config c) {
        return List.of(
                Filters.create(new StageSpec("gaussian-blur", Map.of("kernel", c.blurKernel(), "sigma", 0))),
                Overlays.create(new StageSpec("text", Map.of("text", OUR_TEXT, "x", 16, "y", 16,
                        "fontSize", FONT_SIZE, "color", "#FFFFFF", "box", true, "boxColor", "#00000099",
                        "outline", 2, "font", FONT_FAMILY)), null));
    }

    /**
     * The CLI's graph. gblur is an IIR approximation whose cost does not depend on sigma, so blurring chroma with
     * the luma sigma (gblur has one sigma for all planes; ours uses half the kernel on the half-size chroma planes)
     * costs ffmpeg nothing extra.
     */
    static String cliFilter(Config c) {
        return String.format(Locale.ROOT, "gblur=sigma=%.3f,drawtext=fontfile='%s':text='%s':fontsize=%d"
                        + ":fontcolor=white:borderw=2:bordercolor=black:box=1:boxcolor=black@0.6:x=16:y=16",
                c.blurSigma(), fontFile(), CLI_TEXT, FONT_SIZE);
    }

    /** The file of the font our overlay uses, for drawtext: asked of fontconfig, as Java's font lookup does. */
    static String fontFile() {
        try {
            Process p = new ProcessBuilder("fc-match", "-f", "%{file}", FONT_FAMILY).redirectErrorStream(true).start();
            String file = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.isReadable(Path.of(file))) {
                return file;
            }
        } catch (IOException e) {
            // fall through to the Debian path
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Path debian = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
        if (!Files.isReadable(debian)) {
            throw new IllegalStateException("no font file for '" + FONT_FAMILY + "' (install fonts-dejavu-core)");
        }
        return debian.toString();
    }

    /**
     * testsrc2 (moving, detailed) encoded like OBS sends it: x264 veryfast zerolatency, no B-frames, a keyframe
     * every 2 s. Reused if it already exists.
     */
    static Path generateInput(Config c) {
        int count = Math.max(c.frames(), c.liveFrames());
        Path file = c.workDir().resolve(String.format(Locale.ROOT, "input-%dx%d-%d-%d.mp4", c.width(), c.height(),
                c.fps(), count)).toAbsolutePath();
        if (Files.exists(file)) {
            return file;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("tmp-" + file.getFileName());
            List<String> cmd = List.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class), "-hide_banner", "-loglevel",
                    "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=" + c.width() + "x" + c.height() + ":rate="
                            + c.fps(), "-frames:v", String.valueOf(count), "-c:v", "libx264", "-preset", "veryfast",
                    "-tune", "zerolatency", "-bf", "0", "-g", String.valueOf(2 * c.fps()), "-b:v", "4000k",
                    "-pix_fmt", "yuv420p", "-an", tmp.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("cannot generate the input: " + String.join(" ", cmd) + "\n" + log);
            }
            Files.move(tmp, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static int warmUpFrames(Config c) {
        return Math.min(WARM_UP_FRAMES, c.frames());
    }

    private static HlsSettings settings(Config c, Path dir) {
        return new HlsSettings(c.segmentMicros(), WINDOW_SEGMENTS, HlsSettings.DEFAULT_PART_MICROS, dir);
    }

    private static Path clean(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                try (var files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }
}
