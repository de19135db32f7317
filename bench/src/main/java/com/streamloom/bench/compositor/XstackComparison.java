package com.streamloom.bench.compositor;

import com.streamloom.bench.BenchRow;
import com.streamloom.compositor.CanvasEncoder;
import com.streamloom.compositor.Composition;
import com.streamloom.compositor.H264Decoding;
import com.streamloom.media.codec.PictureLimit;
import com.streamloom.media.testing.SettableClock;
import com.streamloom.compositor.OutputEncoding;
import com.streamloom.media.testing.MediaFileReader;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.EncodingSpec;
import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The head-to-head half of the compositor benchmark: the same four generated 1280x720 30 fps H.264 files composed into one
 * 1280x720 2x2 grid, encoded with libx264 veryfast + zerolatency at the same bit rate and keyframe placement, with
 * a silent 48 kHz stereo AAC track at 128 kbit/s beside it, by
 * <ul>
 *   <li><b>ours</b>: the production classes: a real {@link Composition} (per-input worker threads decoding with the
 *       {@code media} H.264 decoder, jitter buffers, the grid renderer, the audio mixer encoding its AAC) driven tick
 *       by tick on a {@link SettableClock} as fast as it goes, each canvas handed to a {@link CanvasEncoder} (libx264
 *       on its own thread behind a one-frame hand-off) with the encoder of {@link OutputEncoding#encoderFor}, as the
 *       compositor process does: the inputs' next frames decode while the canvas is rendered and the previous one
 *       is encoded.</li>
 *   <li><b>theirs</b>: the ffmpeg program shipped with JavaCV, {@code scale} each input to 640x360 + {@code xstack},
 *       plus {@code anullsrc} encoded to AAC, into the null muxer (encoding still runs).</li>
 * </ul>
 * Like for like: both sides run once untimed (ours to warm the JIT, theirs to warm the page cache), then in
 * alternating timed rounds over all {@code frames} output frames, from start (opening decoders and encoders) to
 * exit / close; the medians are compared ({@link #compare}). Scaling: ours
 * is OpenCV {@code INTER_AREA} for the 2:1 shrink (a 2x2 box average), theirs swscale's {@code area}, its
 * counterpart (ffmpeg's default, bicubic, reads 4x4 taps and would be slower and sharper). Encoder: libx264
 * veryfast, zerolatency, no B-frames, the bit rate as VBV max rate and buffer, a GOP of 4 s, an IDR every HLS
 * segment (2 s), the default thread count on both sides. Decoders: each side's default (ours one slice thread per
 * input on the input's own worker, ffmpeg frame threads).
 *
 * <p>CPU: ours is the JVM's process CPU time over the run (every thread: workers, x264's, GC, JIT); theirs is what
 * ffmpeg's own {@code -benchmark} option reports at exit, its process's user + system time from getrusage, so all
 * its threads count too. fps is output frames over wall time.
 */
public final class XstackComparison {
    public static final int WIDTH = 1280, HEIGHT = 720, FPS = 30, INPUTS = 4;
    /** How many frames ahead of the output the inputs are fed. */
    static final int LEAD = 2;
    private static final Pattern BENCH = Pattern.compile("bench: utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s");

    /** One side's result. */
    public record Run(String who, int frames, double wallSeconds, double cpuSeconds) {
        public double fps() {
            return frames / wallSeconds;
        }

        public double cpuMsPerFrame() {
            return cpuSeconds * 1000 / frames;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-7s 4 x 720p -> 720p grid (decode + compose + encode): %d frames, "
                    + "%.1f fps, %.2f CPU-ms/frame", who, frames, fps(), cpuMsPerFrame());
        }
    }

    private XstackComparison() {
    }

    static Path ffmpeg() {
        return Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
    }

    /** Generates the four inputs (moving test pattern, a different hue each) into {@code dir}. */
    public static List<Path> generateInputs(Path dir, int frames) throws IOException, InterruptedException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            Path f = dir.resolve("input" + i + ".mp4");
            FfmpegProcess.run(List.of(ffmpeg().toString(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc2=s=" + WIDTH + "x" + HEIGHT + ":r=" + FPS + ",hue=h=" + (i * 90),
                    "-frames:v", Integer.toString(frames), "-c:v", "libx264", "-preset", "veryfast", "-bf", "0",
                    "-g", Integer.toString(FPS), "-b:v", "3M", "-pix_fmt", "yuv420p", f.toString()));
            files.add(f);
        }
        return files;
    }

    static CompositionSpec spec() {
        List<CompositionSpec.Input> in = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            in.add(new CompositionSpec.Input("in" + i, null, null, null, null, 600_000, 0));
        }
        return new CompositionSpec("bench", new CompositionSpec.Canvas(WIDTH, HEIGHT, FPS, "#000000"), in,
                new CompositionSpec.Layout("grid", null, null, null), null, null).validated();
    }

    /** Each input's packets, read into memory once, so that no side's timing includes reading files. */
    static List<List<MediaPacket>> read(List<Path> files, int frames) {
        List<List<MediaPacket>> packets = new ArrayList<>();
        for (Path f : files) {
            packets.add(MediaFileReader.read(f, frames));
        }
        return packets;
    }

    private static Run runOurs(List<List<MediaPacket>> packets, int frames) {
        long cpu0 = processCpuNanos(), t0 = System.nanoTime();
        CompositionSpec spec = spec();
        long start = 1_700_000_000_000_000L;
        SettableClock clock = SettableClock.atMicros(start);
        AtomicLong encoded = new AtomicLong();
        CanvasEncoder encoder = new CanvasEncoder("bench", OutputEncoding.encoderFor(spec),
                p -> encoded.incrementAndGet());
        java.util.function.Supplier<H264Decoding> decoders = () -> new H264Decoding(PictureLimit.DEFAULT);
        try (Composition c = new Composition(spec, clock, decoders, encoder, new MediaSink() {
            @Override
            public void accept(MediaPacket packet) {
            }
        })) {
            List<MediaSink> sinks = new ArrayList<>();
            for (int i = 0; i < INPUTS; i++) sinks.add(c.sinkFor("in" + i));
            int[] next = new int[INPUTS];
            // Pipelined like the live process, where inputs arrive on their own: the input workers decode up to
            // LEAD frames ahead while the output thread renders canvas k and the encoder thread encodes canvas
            // k - 1. Frame j arrives at T0 + (j - LEAD) frame intervals, so at tick k (wall T0 + k intervals)
            // frames up to k + LEAD are due and the newest decoded one is shown.
            for (int j = 0; j < LEAD; j++) {
                clock.setMicros(start + (j - LEAD) * c.frameMicros());
                feed(packets, sinks, next);
            }
            awaitDecoded(c, 0);
            for (int k = 0; k < frames; k++) {
                clock.setMicros(start + k * c.frameMicros());
                if (k + LEAD < frames) feed(packets, sinks, next);
                c.tick();
                // At most one frame per input still undecoded: the next tick has a fresh frame of every input.
                awaitDecoded(c, INPUTS * (LEAD - 1));
            }
        } finally {
            encoder.close();          // encodes the canvases still queued, then stops
        }
        long wall = System.nanoTime() - t0, cpu = processCpuNanos() - cpu0;
        if (encoder.framesEncoded() != frames) {
            throw new IllegalStateException("encoded " + encoder.framesEncoded() + " of " + frames + " canvases");
        }
        return new Run("ours", frames, wall / 1e9, cpu / 1e9);
    }

    /** Hands each input's packets up to and including its next video packet (config packets first) to its sink. */
    private static void feed(List<List<MediaPacket>> packets, List<MediaSink> sinks, int[] next) {
        for (int i = 0; i < packets.size(); i++) {
            List<MediaPacket> list = packets.get(i);
            while (next[i] < list.size()) {
                MediaPacket p = list.get(next[i]++);
                sinks.get(i).accept(p);
                if (p.isVideo() && !p.config()) break;
            }
        }
    }

    /** Polls every 0.2 ms: a cost far below a frame's decoding, and no hook in the production class for it. */
    private static void awaitDecoded(Composition c, int allowedPending) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (c.pendingPackets() > allowedPending) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("inputs did not decode within 30 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }

    /** ffmpeg's xstack on the same files with the same encoder settings, once. */
    private static Run runTheirs(List<Path> files, int frames) throws IOException, InterruptedException {
        CompositionSpec spec = spec();
        EncodingSpec encoding = OutputEncoding.forCanvas(spec.canvas());
        double segmentSeconds = OutputEncoding.segmentMicros(spec) / 1e6;
        List<String> cmd = new ArrayList<>(List.of(ffmpeg().toString(), "-hide_banner", "-nostats", "-benchmark"));
        for (Path f : files) {
            cmd.addAll(List.of("-i", f.toString()));
        }
        // The mixer's output when no input has audio: silence, 48 kHz stereo, as long as the video.
        cmd.addAll(List.of("-f", "lavfi", "-t", String.format(Locale.ROOT, "%.3f", (double) frames / FPS),
                "-i", "anullsrc=r=48000:cl=stereo"));
        int w = WIDTH / 2, h = HEIGHT / 2;
        String graph = String.format(Locale.ROOT, "[0:v]scale=%1$d:%2$d:flags=area[a];[1:v]scale=%1$d:%2$d:flags=area[b];"
                + "[2:v]scale=%1$d:%2$d:flags=area[c];[3:v]scale=%1$d:%2$d:flags=area[d];[a][b][c][d]xstack=inputs=4:"
                + "layout=0_0|w0_0|0_h0|w0_h0[out]", w, h);
        cmd.addAll(List.of("-filter_complex", graph, "-map", "[out]", "-map", INPUTS + ":a",
                "-frames:v", Integer.toString(frames),
                "-c:v", "libx264", "-preset", encoding.preset(), "-tune", "zerolatency", "-bf", "0",
                "-b:v", encoding.bitrateKbps() + "k", "-maxrate", encoding.bitrateKbps() + "k",
                "-bufsize", encoding.bitrateKbps() + "k", "-g", Integer.toString(FPS * 4),
                "-force_key_frames", String.format(Locale.ROOT, "expr:gte(t,n_forced*%.3f)", segmentSeconds),
                "-forced-idr", "1",
                "-c:a", "aac", "-b:a", Integer.toString(Composition.AUDIO_BIT_RATE), "-f", "null", "-"));
        String log = FfmpegProcess.run(cmd);
        Matcher m = BENCH.matcher(log);
        if (!m.find()) {
            throw new IllegalStateException("ffmpeg printed no -benchmark line:\n" + log);
        }
        double cpu = Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2));
        return new Run("ffmpeg", frames, Double.parseDouble(m.group(3)), cpu);
    }

    /**
     * Runs both on the same generated inputs: one untimed run each, then {@code rounds} timed rounds of one run each,
     * alternating which side goes first. Prints every round, then each side's median fps and CPU-ms per frame and
     * their ratios, with the range of the per-round fps ratios. One run takes 2 to 3 s, so a few scheduling hiccups
     * of a shared machine move it by several percent; the median of alternating rounds is what both sides do
     * typically, and the range shows the noise.
     */
    public static Comparison compare(int frames, int rounds, Path dir) throws IOException, InterruptedException {
        if (rounds < 1) throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        List<Path> files = generateInputs(dir, frames);
        List<List<MediaPacket>> packets = read(files, frames);
        runOurs(packets, frames);     // warms the JIT
        runTheirs(files, frames);     // warms the page cache and ffmpeg's libraries
        List<Run> ours = new ArrayList<>(), theirs = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Run o, t;
            if (r % 2 == 0) {
                o = runOurs(packets, frames);
                t = runTheirs(files, frames);
            } else {
                t = runTheirs(files, frames);
                o = runOurs(packets, frames);
            }
            ours.add(o);
            theirs.add(t);
            System.out.printf(Locale.ROOT, "round %d: ours %.1f fps %.2f CPU-ms/frame, ffmpeg %.1f fps %.2f CPU-ms/frame,"
                    + " fps ratio %.2f%n", r + 1, o.fps(), o.cpuMsPerFrame(), t.fps(), t.cpuMsPerFrame(),
                    o.fps() / t.fps());
        }
        Comparison c = new Comparison(ours, theirs);
        System.out.println(c.median(ours));
        System.out.println(c.median(theirs));
        System.out.printf(Locale.ROOT, "ratio ours/theirs (medians of %d rounds): %.2f x the fps (rounds %.2f to %.2f), "
                        + "%.2f x the CPU efficiency (their CPU-ms per frame / ours); goal >= 1.0%n", rounds,
                c.fpsRatio(), c.minRoundFpsRatio(), c.maxRoundFpsRatio(), c.cpuEfficiencyRatio());
        return c;
    }

    /** The timed rounds of both sides, round i of one paired with round i of the other. */
    public record Comparison(List<Run> ours, List<Run> theirs) {
        /** A run with the median fps and the median CPU-ms per frame of the given rounds. */
        Run median(List<Run> runs) {
            int n = runs.get(0).frames();
            double fps = medianOf(runs.stream().mapToDouble(Run::fps).toArray());
            double cpuMs = medianOf(runs.stream().mapToDouble(Run::cpuMsPerFrame).toArray());
            return new Run(runs.get(0).who(), n, n / fps, cpuMs * n / 1000);
        }

        public double fpsRatio() {
            return median(ours).fps() / median(theirs).fps();
        }

        public double cpuEfficiencyRatio() {
            return median(theirs).cpuMsPerFrame() / median(ours).cpuMsPerFrame();
        }

        double minRoundFpsRatio() {
            double min = Double.MAX_VALUE;
            for (int i = 0; i < ours.size(); i++) min = Math.min(min, ours.get(i).fps() / theirs.get(i).fps());
            return min;
        }

        /** The compositor's rows of the benchmark summary: fps and CPU per frame against ffmpeg's xstack. */
        public List<BenchRow> summaryRows() {
            Run o = median(ours), t = median(theirs);
            return List.of(
                    new BenchRow("compositor 4 x 720p -> 720p grid: fps", String.format(Locale.ROOT, "%.1f fps", o.fps()),
                            String.format(Locale.ROOT, "%.1f fps (ffmpeg xstack)", t.fps()), fpsRatio()),
                    new BenchRow("compositor 4 x 720p -> 720p grid: CPU per frame",
                            String.format(Locale.ROOT, "%.2f ms", o.cpuMsPerFrame()),
                            String.format(Locale.ROOT, "%.2f ms (ffmpeg xstack)", t.cpuMsPerFrame()),
                            cpuEfficiencyRatio()));
        }

        double maxRoundFpsRatio() {
            double max = 0;
            for (int i = 0; i < ours.size(); i++) max = Math.max(max, ours.get(i).fps() / theirs.get(i).fps());
            return max;
        }
    }

    /** The middle value (the mean of the two middle ones for an even count). */
    static double medianOf(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
