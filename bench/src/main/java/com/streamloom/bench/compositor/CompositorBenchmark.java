package com.streamloom.bench.compositor;

import com.streamloom.compositor.testing.TestCards;
import com.streamloom.bench.BenchResults;
import com.streamloom.bench.BenchRow;
import com.streamloom.compositor.Composition;
import com.streamloom.compositor.LiveComposition;
import com.streamloom.compositor.layout.LayoutEngine;
import com.streamloom.compositor.layout.Placement;
import com.streamloom.compositor.render.Renderer;
import com.streamloom.compositor.render.YuvColor;
import com.streamloom.media.testing.MediaFileReader;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.EncodingSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The compositor's side of the compositor benchmark (ours against ffmpeg's xstack on the same inputs).
 *
 * <ol>
 *   <li>{@link XstackComparison}: ours against ffmpeg's xstack on the same four generated 720p files, decode and
 *       encode included on both sides, in {@code rounds} alternating timed rounds compared by their medians (skip with
 *       {@code compare=false}).</li>
 *   <li>{@link #renderGrid}: N 1280x720 inputs scaled and drawn into a 1280x720 grid as fast as one thread can,
 *       decoding and encoding excluded (the inputs are ready I420 frames): the cost of composing itself. In the
 *       compositor the scaling part runs on the inputs' workers ({@code TileScaler}), so the output thread's share is
 *       the "render" column of the real-time search. Prints fps and CPU-ms per output frame (process CPU, so OpenCV's
 *       own worker threads are counted).</li>
 *   <li>{@link #maxRealTimeInputs}: the production {@link LiveComposition} (input sinks, queues, per-input H.264 and
 *       AAC decoders, jitter buffers, the output clock, render, audio mix, libx264 on its own thread, HLS packaging)
 *       on the system clock, with n inputs, each a real-time 720p30 H.264 + AAC stream encoded the way an edge
 *       forwards it (libx264 veryfast zerolatency, 2.5 Mbit/s, an IDR every 2 s, no B-frames) and fed at its own
 *       timestamps, for n = 1, 2, ... until the output no longer holds 30 fps: a skipped output frame, fewer
 *       canvases encoded than the window's ticks, or an input frame lost (queue full, decoded too late, undecodable).
 *       A failing n is run a second time, and fails only if it fails again (the machine is shared).</li>
 * </ol>
 *
 * <p>Run: {@code ./mvnw -B -Pbench verify} with the other benchmarks (see README, "Benchmarks"), which passes
 * {@code -Dbench.compositor.args}; arguments {@code frames=300 rounds=5 inputs=4 maxInputs=16 seconds=4 compare=true} (16 is the most inputs a
 * composition takes, {@link CompositionSpec#MAX_INPUTS}).
 */
public final class CompositorBenchmark {
    public static final int WIDTH = 1280, HEIGHT = 720, FPS = 30;

    /** Result of the render-only run. */
    public record RenderResult(int inputs, int frames, double fps, double cpuMsPerFrame, double wallMsPerFrame) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "render %d x 720p -> 720p grid: %d frames, %.1f fps, %.2f CPU-ms/frame, "
                    + "%.2f wall-ms/frame (decode and encode excluded)", inputs, frames, fps, cpuMsPerFrame, wallMsPerFrame);
        }
    }

    /** One step of the real-time search. */
    public record RealTimeStep(int inputs, double outputFps, long skippedTicks, long missingFrames,
                               long inputFramesLost, double renderMs, double cpuMsPerFrame, boolean holds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "real time %2d x 720p30 (decoded) -> 720p30 (encoded): %.1f fps out, "
                    + "%d skipped, %d not encoded, %d input frames lost, render %.2f ms, %.2f CPU-ms/frame -> %s",
                    inputs, outputFps, skippedTicks, missingFrames, inputFramesLost, renderMs, cpuMsPerFrame,
                    holds ? "holds" : "FAILS");
        }
    }

    private CompositorBenchmark() {
    }

    /** What to run; see the class comment for each argument. */
    public record Options(int frames, int inputs, int maxInputs, int seconds, int rounds, boolean compare) {
        /**
         * Parses {@code key=value} arguments. Maven hands {@code -Dbench.compositor.args} over as one argument, so
         * each argument is split at white space first.
         */
        public static Options parse(String[] args) {
            int frames = 300, inputs = 4, maxInputs = CompositionSpec.MAX_INPUTS, seconds = 4, rounds = 5;
            boolean compare = true;
            for (String a : String.join(" ", args).trim().split("\\s+")) {
                if (a.isEmpty()) continue;
                String[] kv = a.split("=", 2);
                if (kv.length != 2) throw new IllegalArgumentException("arguments are key=value, got " + a);
                if (kv[0].equals("compare")) {
                    compare = Boolean.parseBoolean(kv[1]);
                    continue;
                }
                int v;
                try {
                    v = Integer.parseInt(kv[1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad value for " + kv[0] + ": '" + kv[1] + "'", e);
                }
                switch (kv[0]) {
                    case "frames" -> frames = v;
                    case "inputs" -> inputs = v;
                    case "maxInputs" -> maxInputs = v;
                    case "seconds" -> seconds = v;
                    case "rounds" -> rounds = v;
                    default -> throw new IllegalArgumentException("unknown argument " + kv[0]);
                }
            }
            return new Options(frames, inputs, maxInputs, seconds, rounds, compare);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        int frames = o.frames(), inputs = o.inputs(), maxInputs = o.maxInputs(), seconds = o.seconds();
        int rounds = o.rounds();
        boolean compare = o.compare();
        List<BenchRow> rows = new ArrayList<>();
        if (compare) {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("compositor-bench");
            try {
                rows.addAll(XstackComparison.compare(frames, rounds, dir).summaryRows());
            } finally {
                try (var files = java.nio.file.Files.list(dir)) {
                    files.forEach(f -> f.toFile().delete());
                }
                java.nio.file.Files.deleteIfExists(dir);
            }
        }
        System.out.println(renderGrid(inputs, frames));
        List<RealTimeStep> steps = maxInputs > 0 ? maxRealTimeInputs(maxInputs, seconds, System.out::println)
                : List.of();
        int best = steps.stream().filter(RealTimeStep::holds).mapToInt(RealTimeStep::inputs).max().orElse(0);
        System.out.println("max real-time 720p30 inputs (decoded) at 30 fps out (encoded): " + best
                + (best == CompositionSpec.MAX_INPUTS ? " (the most a composition takes, CompositionSpec.MAX_INPUTS)"
                : best == maxInputs ? " (the most tried: raise maxInputs)" : ""));
        if (maxInputs > 0) {
            rows.add(new BenchRow("compositor real-time 720p30 inputs held at 30 fps out", Integer.toString(best),
                    "goal: all " + maxInputs + " tried", (double) best / maxInputs));
        }
        BenchResults.publish("compositor", rows);
    }

    static CompositionSpec gridSpec(String name, int inputs) {
        List<CompositionSpec.Input> in = new ArrayList<>();
        for (int i = 0; i < inputs; i++) in.add(new CompositionSpec.Input("in" + i, null, null, null, null, null, null));
        return new CompositionSpec(name, new CompositionSpec.Canvas(WIDTH, HEIGHT, FPS, "#000000"), in,
                new CompositionSpec.Layout("grid", null, null, null), null, null).validated();
    }

    /** A 720p input picture with a different colour per input and a luma ramp, so the scaler has real work. */
    static VideoFrame card(int i, long pts) {
        VideoFrame f = TestCards.solid(WIDTH, HEIGHT, YuvColor.rgb(40 + 50 * (i % 4), 200 - 40 * (i % 5), 60 + 30 * (i % 6)), pts);
        byte[] row = new byte[WIDTH];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) row[x] = (byte) (16 + ((x + y + i * 37) % 220));
            f.avFrame().data(0).position((long) y * f.avFrame().linesize(0)).put(row, 0, WIDTH);
        }
        return f;
    }

    /** Renders {@code frames} canvases of {@code inputs} 720p inputs into a 720p grid as fast as possible. */
    public static RenderResult renderGrid(int inputs, int frames) {
        List<VideoFrame> cards = new ArrayList<>();
        try (Renderer renderer = new Renderer(WIDTH, HEIGHT)) {
            for (int i = 0; i < inputs; i++) cards.add(card(i, 0));
            List<Renderer.Layer> layers = new ArrayList<>();
            for (Placement p : LayoutEngine.place(gridSpec("bench", inputs))) {
                layers.add(new Renderer.Layer(p.cell(), cards.get(p.input()), null, null, 0));
            }
            YuvColor bg = YuvColor.BLACK;
            for (int i = 0; i < Math.min(30, frames); i++) renderer.render(bg, layers, 0); // warm-up
            long cpu0 = processCpuNanos(), t0 = System.nanoTime();
            for (int i = 0; i < frames; i++) renderer.render(bg, layers, i);
            long wall = System.nanoTime() - t0, cpu = processCpuNanos() - cpu0;
            return new RenderResult(inputs, frames, frames * 1e9 / wall, cpu / 1e6 / frames, wall / 1e6 / frames);
        } finally {
            cards.forEach(VideoFrame::close);
        }
    }

    /**
     * Steps n from 1 to {@code maxInputs} and stops after the n that does not hold 30 fps (twice in a row); every
     * step is reported as it ends.
     */
    public static List<RealTimeStep> maxRealTimeInputs(int maxInputs, int seconds, Consumer<RealTimeStep> report)
            throws IOException, InterruptedException {
        if (maxInputs > CompositionSpec.MAX_INPUTS) {
            throw new IllegalArgumentException("maxInputs: a composition takes at most " + CompositionSpec.MAX_INPUTS);
        }
        Path dir = Files.createTempDirectory("compositor-realtime");
        try {
            List<MediaPacket> stream = MediaFileReader.read(edgeStream(dir), 0);
            List<RealTimeStep> steps = new ArrayList<>();
            for (int n = 1; n <= maxInputs; n++) {
                RealTimeStep step = realTime(n, seconds, stream);
                steps.add(step);
                report.accept(step);
                if (!step.holds()) {
                    RealTimeStep again = realTime(n, seconds, stream);
                    steps.add(again);
                    report.accept(again);
                    if (!again.holds()) break;
                }
            }
            return steps;
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Ten seconds of 720p30 as an edge forwards it (the edge's default encoding: libx264 veryfast, zerolatency,
     * 2.5 Mbit/s, no B-frames, an IDR every 2 s segment) with a 48 kHz stereo AAC tone.
     */
    static Path edgeStream(Path dir) throws IOException, InterruptedException {
        Path f = dir.resolve("edge.mp4");
        EncodingSpec edge = EncodingSpec.defaults();
        FfmpegProcess.run(List.of(XstackComparison.ffmpeg().toString(), "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=s=" + WIDTH + "x" + HEIGHT + ":r=" + FPS,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "10", "-c:v", "libx264", "-preset", edge.preset(), "-tune", "zerolatency", "-bf", "0",
                "-g", Integer.toString(2 * FPS), "-b:v", edge.bitrateKbps() + "k", "-maxrate", edge.bitrateKbps() + "k",
                "-bufsize", edge.bitrateKbps() + "k", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k", "-ac", "2", f.toString()));
        return f;
    }

    /**
     * Runs the production {@link LiveComposition} with {@code n} real-time inputs for {@code seconds} (after two
     * seconds of warm-up: decoders opened, first keyframes, jitter buffers filled) and checks that it held.
     *
     * @param stream the packets of one input (config packets first, then decode order); each input sends them at
     *               their timestamps from its own start, in a loop, timestamps continuing
     */
    public static RealTimeStep realTime(int n, int seconds, List<MediaPacket> stream) throws InterruptedException {
        CompositionSpec spec = gridSpec("bench" + n, n);
        Clock clock = Clock.systemUTC();
        HlsPackager hls = new HlsPackager(spec.name(), HlsSettings.from(spec.output()), clock);
        LiveComposition live = new LiveComposition(spec.name(), spec, hls, new SimpleMeterRegistry(), clock, s -> true);
        Publishers publishers = new Publishers(stream, n, live.composition());
        try {
            publishers.start();
            Thread.sleep(2000);
            Composition c = live.composition();
            Composition.Stats s0 = c.stats();
            long encoded0 = live.framesEncoded();
            long cpu0 = processCpuNanos(), t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            Composition.Stats s1 = c.stats();
            long encoded1 = live.framesEncoded();
            long wall = System.nanoTime() - t0, cpu = processCpuNanos() - cpu0;
            long ticks = s1.ticks() - s0.ticks(), skipped = s1.skippedTicks() - s0.skippedTicks();
            // A canvas handed to the encoder just before the window's start may be encoded inside it: +-1.
            long missing = Math.max(0, ticks - (encoded1 - encoded0) - 1);
            long lost = lostInputFrames(s1) - lostInputFrames(s0);
            long expected = Math.round(wall * FPS / 1e9);
            // Holding: no tick skipped, at most the allowed lag (a tick may run up to MAX_TICKS_BEHIND late and catch
            // up) between the window's edges, every canvas encoded, every input frame decoded in time.
            boolean holds = skipped == 0 && ticks >= expected - Composition.MAX_TICKS_BEHIND - 1 && missing == 0
                    && lost == 0;
            return new RealTimeStep(n, ticks * 1e9 / wall, skipped, missing, lost, s1.renderMicros() / 1000,
                    ticks == 0 ? 0 : cpu / 1e6 / ticks, holds);
        } finally {
            publishers.close();
            live.close();
            hls.close();
        }
    }

    private static long lostInputFrames(Composition.Stats s) {
        long lost = 0;
        for (Composition.InputStats in : s.inputs().values()) {
            lost += in.queueDrops() + in.decodeErrors() + in.video().late() + in.video().overflow();
        }
        return lost;
    }

    /**
     * The n publishers: one thread sends every input's packets at their timestamps (each input started a few
     * milliseconds after the previous one, so their frames do not all arrive at the same instant), as the RTMP
     * server's network threads would hand them to the composition's sinks.
     */
    private static final class Publishers implements AutoCloseable {
        private final List<MediaPacket> stream;
        private final List<MediaPacket> media;
        private final long loopMicros;
        private final MediaSink[] sinks;
        private final Thread thread;
        private volatile boolean running = true;

        Publishers(List<MediaPacket> stream, int n, Composition composition) {
            this.stream = stream;
            this.media = stream.stream().filter(p -> !p.config()).toList();
            long videoFrames = media.stream().filter(MediaPacket::isVideo).count();
            this.loopMicros = videoFrames * 1_000_000L / FPS;
            this.sinks = new MediaSink[n];
            for (int i = 0; i < n; i++) sinks[i] = composition.sinkFor("in" + i);
            this.thread = new Thread(this::run, "bench-publishers");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            int n = sinks.length;
            long stagger = 1_000_000L / FPS / n;
            long start = System.nanoTime() / 1000;
            int[] next = new int[n];
            long[] loop = new long[n];
            for (MediaSink sink : sinks) {
                for (MediaPacket p : stream) if (p.config()) sink.accept(p);
            }
            while (running) {
                long now = System.nanoTime() / 1000 - start;
                long wake = Long.MAX_VALUE;
                for (int i = 0; i < n; i++) {
                    while (true) {
                        MediaPacket p = media.get(next[i]);
                        long offset = loop[i] * loopMicros;
                        long due = i * stagger + offset + p.dtsMicros();
                        if (due > now) {
                            wake = Math.min(wake, due);
                            break;
                        }
                        sinks[i].accept(new MediaPacket(p.track(), p.codec(), p.ptsMicros() + offset,
                                p.dtsMicros() + offset, p.keyframe(), false, p.data()));
                        if (++next[i] == media.size()) {
                            next[i] = 0;
                            loop[i]++;
                        }
                    }
                }
                long sleep = wake - (System.nanoTime() / 1000 - start);
                if (sleep > 0) LockSupport.parkNanos(sleep * 1000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(2000);
            for (MediaSink sink : sinks) sink.end("benchmark step over");
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
