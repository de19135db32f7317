package com.streamloom.compositor.bench;

import com.streamloom.compositor.Composition;
import com.streamloom.compositor.VideoDecoding;
import com.streamloom.compositor.layout.LayoutEngine;
import com.streamloom.compositor.layout.Placement;
import com.streamloom.compositor.render.Renderer;
import com.streamloom.compositor.render.YuvColor;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.spec.CompositionSpec;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The compositor's side of the issue 3 line 7 benchmark.
 *
 * <ol>
 *   <li>{@link XstackComparison}: ours against ffmpeg's xstack on the same four generated 720p files, decode and
 *       encode included on both sides (skip with {@code compare=false}).</li>
 *   <li>{@link #renderGrid}: N 1280x720 inputs rendered into a 1280x720 grid as fast as one thread can, decoding and
 *       encoding excluded (the inputs are ready I420 frames; the ffmpeg {@code xstack} side must then be run on raw
 *       input too, or both with decoding, for a fair ratio). Prints fps and CPU-ms per output frame (process CPU,
 *       so OpenCV's own worker threads are counted).</li>
 *   <li>{@link #maxRealTimeInputs}: a real {@link Composition} on the system clock, with n inputs each fed 30 frames
 *       per second from its own thread, for n = 1, 2, ... until the output no longer holds its 30 fps (a tick
 *       skipped, or more than the allowed two-frame lag lost over the window). The inputs go through the whole input path (sink, queue,
 *       worker, jitter buffer); "decoding" is a copy of a ready 720p frame unless a real decoder is supplied.</li>
 * </ol>
 *
 * <p>Run: {@code ./mvnw -q -pl cloud-compositor -am package -DskipTests} then
 * {@code java -cp "cloud-compositor/target/classes:$(cat cp.txt)" com.streamloom.compositor.bench.CompositorBenchmark}
 * (see the README); arguments {@code frames=300 inputs=4 maxInputs=16 seconds=3 compare=true}.
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
    public record RealTimeStep(int inputs, double outputFps, long skippedTicks, double renderMs, double cpuMsPerFrame,
                               boolean holds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "real time %2d x 720p30 -> 720p30: %.1f fps out, %d skipped, render %.2f ms, "
                    + "%.2f CPU-ms/frame -> %s", inputs, outputFps, skippedTicks, renderMs, cpuMsPerFrame,
                    holds ? "holds" : "FAILS");
        }
    }

    private CompositorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int frames = 300, inputs = 4, maxInputs = 16, seconds = 3;
        boolean compare = true;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("arguments are key=value, got " + a);
            if (kv[0].equals("compare")) {
                compare = Boolean.parseBoolean(kv[1]);
                continue;
            }
            int v = Integer.parseInt(kv[1]);
            switch (kv[0]) {
                case "frames" -> frames = v;
                case "inputs" -> inputs = v;
                case "maxInputs" -> maxInputs = v;
                case "seconds" -> seconds = v;
                default -> throw new IllegalArgumentException("unknown argument " + kv[0]);
            }
        }
        if (compare) {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("compositor-bench");
            try {
                XstackComparison.compare(frames, dir);
            } finally {
                try (var files = java.nio.file.Files.list(dir)) {
                    files.forEach(f -> f.toFile().delete());
                }
                java.nio.file.Files.deleteIfExists(dir);
            }
        }
        System.out.println(renderGrid(inputs, frames));
        List<RealTimeStep> steps = maxRealTimeInputs(maxInputs, seconds, System.out::println);
        int best = steps.stream().filter(RealTimeStep::holds).mapToInt(RealTimeStep::inputs).max().orElse(0);
        System.out.println("max real-time 720p30 inputs at 30 fps out: " + best);
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

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
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
     * Steps n from 1 to {@code maxInputs} with frame-copy "decoding" (decode excluded) and stops after the first n
     * that does not hold 30 fps.
     */
    public static List<RealTimeStep> maxRealTimeInputs(int maxInputs, int seconds,
                                                       java.util.function.Consumer<RealTimeStep> report) {
        VideoFrame source = card(0, 0);
        try {
            List<RealTimeStep> steps = new ArrayList<>();
            for (int n = 1; n <= maxInputs; n++) {
                RealTimeStep step = realTime(n, seconds, CopyDecoding.factory(source), CopyDecoding::packet);
                steps.add(step);
                report.accept(step);
                if (!step.holds()) break;
            }
            return steps;
        } finally {
            source.close();
        }
    }

    /**
     * Runs one composition of {@code n} inputs in real time for {@code seconds} (after one second of warm-up).
     *
     * @param decoders one decoder per input (the {@code media} decoder for a decode-inclusive run)
     * @param packets  the packet input {@code i} sends as its frame {@code k} (pts k / 30 s)
     */
    public static RealTimeStep realTime(int n, int seconds, Supplier<? extends VideoDecoding> decoders,
                                        PacketSource packets) {
        ScheduledExecutorService feeders = Executors.newScheduledThreadPool(Math.min(n, 4));
        try (Composition c = new Composition(gridSpec("bench" + n, n), Clock.systemUTC(), decoders, canvas -> {
        }, new MediaSink() {
            @Override
            public void accept(MediaPacket packet) {
            }
        })) {
            for (int i = 0; i < n; i++) {
                MediaSink sink = c.sinkFor("in" + i);
                int input = i;
                long[] k = {0};
                feeders.scheduleAtFixedRate(() -> sink.accept(packets.packet(input, k[0]++)),
                        i * 3L, 1_000_000L / FPS, TimeUnit.MICROSECONDS);
            }
            c.start();
            Thread.sleep(1000);
            Composition.Stats s0 = c.stats();
            long cpu0 = processCpuNanos(), t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            Composition.Stats s1 = c.stats();
            long wall = System.nanoTime() - t0, cpu = processCpuNanos() - cpu0;
            long ticks = s1.ticks() - s0.ticks(), skipped = s1.skippedTicks() - s0.skippedTicks();
            double fps = ticks * 1e9 / wall;
            // Holding means no tick skipped and at most the allowed lag (a tick may run up to MAX_TICKS_BEHIND late
            // and catch up) between the window's edges; a rate alone would count that lag as lost frames.
            long expected = Math.round(wall * FPS / 1e9);
            boolean holds = skipped == 0 && ticks >= expected - Composition.MAX_TICKS_BEHIND - 1;
            return new RealTimeStep(n, fps, skipped, s1.renderMicros() / 1000, ticks == 0 ? 0 : cpu / 1e6 / ticks,
                    holds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            feeders.shutdownNow();
        }
    }

    /** The packets an input sends. */
    @FunctionalInterface
    public interface PacketSource {
        MediaPacket packet(int input, long frameIndex);
    }

    /** Decode-excluded stand-in: every packet "decodes" to a copy of one ready 720p frame with the packet's pts. */
    static final class CopyDecoding implements VideoDecoding {
        private final VideoFrame source;

        private CopyDecoding(VideoFrame source) {
            this.source = source;
        }

        static Supplier<VideoDecoding> factory(VideoFrame source) {
            return () -> new CopyDecoding(source);
        }

        static MediaPacket packet(int input, long frameIndex) {
            long pts = frameIndex * 1_000_000L / FPS;
            return new MediaPacket(MediaPacket.Track.VIDEO, MediaPacket.Codec.H264, pts, pts, true, false, new byte[1]);
        }

        @Override
        public List<VideoFrame> decode(MediaPacket packet) {
            VideoFrame f = source.copy(); // several input threads copy the same frame at once: av_frame_copy only reads it
            f.setPtsMicros(packet.ptsMicros());
            return List.of(f);
        }

        @Override
        public void close() {
        }
    }
}
