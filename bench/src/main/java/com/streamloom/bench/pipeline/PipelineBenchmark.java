package com.streamloom.bench.pipeline;

import com.streamloom.media.testing.MediaFileReader;
import com.streamloom.media.codec.KeyframePolicy;
import com.streamloom.media.codec.VideoDecoder;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.media.pipeline.FrameStage;
import com.streamloom.media.pipeline.StreamProcessor;
import com.streamloom.spec.EncodingSpec;
import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The measurements behind the edge benchmark command: our pipeline (decode → stages → x264 → the
 * given output) against the ffmpeg program shipped with the same FFmpeg build, on the same input file.
 *
 * <ul>
 *   <li>{@link #throughput}: every frame as fast as possible (offline: the input waits instead of dropping);
 *       fps and process CPU milliseconds per frame (all threads: decoder, x264, stages, JIT and GC).</li>
 *   <li>{@link #realTime}: packets delivered at their timestamps like a live publisher; per-frame latency (packet
 *       in → encoded packet out) p50 and p99, and any drops.</li>
 *   <li>{@link #ffmpegCli}: the CLI doing the same graph, timed with its own {@code -benchmark} (user + system
 *       CPU, wall time).</li>
 * </ul>
 * Run them one after another, not concurrently: CPU time is per process.
 */
public final class PipelineBenchmark {

    /** One measurement. Latency fields are 0 in throughput and CLI runs. */
    public record Result(String what, int frames, double wallSeconds, double cpuSeconds, double latencyP50Ms,
                         double latencyP99Ms, long drops) {
        public double fps() {
            return wallSeconds <= 0 ? 0 : frames / wallSeconds;
        }

        public double cpuMsPerFrame() {
            return frames == 0 ? 0 : cpuSeconds * 1000 / frames;
        }

        @Override
        public String toString() {
            return String.format("%-10s %5d frames  %7.1f fps  %6.2f CPU-ms/frame%s", what, frames, fps(),
                    cpuMsPerFrame(), latencyP99Ms > 0
                            ? String.format("  latency p50 %.1f ms p99 %.1f ms  drops %d", latencyP50Ms, latencyP99Ms, drops)
                            : "");
        }
    }

    /** What to run: stages (fresh instances, the run closes them), encoding, decoder threading, output. */
    public record Setup(List<FrameStage> stages, EncodingSpec encoding, VideoDecoder.Options decoder,
                        long segmentMicros, MediaSink output) {
        public Setup {
            stages = List.copyOf(stages);
            encoding = encoding == null ? EncodingSpec.defaults() : encoding;
            decoder = decoder == null ? VideoDecoder.Options.lowLatency() : decoder;
            output = output == null ? packet -> { } : output;
        }
    }

    private PipelineBenchmark() {
    }

    /** Runs the first {@code frames} frames of {@code source} through the pipeline as fast as possible. */
    public static Result throughput(Path source, int frames, Setup setup) {
        List<MediaPacket> packets = MediaFileReader.read(source, frames);
        EndLatch end = new EndLatch(setup.output());
        StreamProcessor p = processor("bench", setup, end, true);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        p.start();
        packets.forEach(p::accept);
        p.end("benchmark input finished");
        end.await();
        long wall = System.nanoTime() - t0;
        long cpu = processCpuNanos() - cpu0;
        long encoded = p.framesEncoded();
        p.close();
        return new Result("ours", (int) encoded, wall / 1e9, cpu / 1e9, 0, 0, p.queueDrops());
    }

    /**
     * Delivers the first {@code frames} frames of {@code source} at their own pace (dts order, like a publisher) and
     * reports per-frame latency; the pipeline may drop (and counts it) if it cannot keep up.
     */
    public static Result realTime(Path source, int frames, Setup setup) {
        return realTime(source, frames, setup, null);
    }

    /**
     * As {@link #realTime(Path, int, Setup)}, and also hands each encoded frame's latency (nanoseconds, packet in →
     * encoded packet out) to {@code frameLatencyNanos} on the encoding thread, in output order, just before the
     * packet goes to the setup's output. A caller can thus tell when each output frame entered the pipeline
     * (ingest-to-playlist latency in the edge benchmark).
     */
    public static Result realTime(Path source, int frames, Setup setup, LongConsumer frameLatencyNanos) {
        List<MediaPacket> packets = MediaFileReader.read(source, frames);
        EndLatch end = new EndLatch(setup.output());
        StreamProcessor p = processor("bench-live", setup, end, false);
        if (frameLatencyNanos != null) {
            p.addLatencyListener(frameLatencyNanos);
        }
        p.start();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        long firstDts = packets.stream().filter(x -> !x.config()).mapToLong(MediaPacket::dtsMicros).min().orElse(0);
        for (MediaPacket m : packets) {
            long due = t0 + (m.config() ? 0 : (m.dtsMicros() - firstDts) * 1000);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            p.accept(m);
        }
        p.end("benchmark input finished");
        end.await();
        long wall = System.nanoTime() - t0;
        long cpu = processCpuNanos() - cpu0;
        Result r = new Result("ours-live", (int) p.framesEncoded(), wall / 1e9, cpu / 1e9,
                p.latency().percentileMillis(0.5), p.latency().percentileMillis(0.99),
                p.queueDrops() + p.videoPacketsSkipped());
        p.close();
        return r;
    }

    /**
     * Runs JavaCV's ffmpeg program on the first {@code frames} frames of {@code source} with the video filter graph
     * {@code videoFilter} (null for none) and the same x264 settings as {@link com.streamloom.media.codec.VideoEncoder},
     * writing to {@code outputArgs} (e.g. {@code List.of("-f", "null", "-")} or an HLS muxer).
     */
    public static Result ffmpegCli(Path source, int frames, String videoFilter, EncodingSpec encoding,
                                   List<String> outputArgs) {
        return ffmpegCli(source, frames, videoFilter, encoding, 0, outputArgs);
    }

    /**
     * As {@link #ffmpegCli(Path, int, String, EncodingSpec, List)}, with IDR frames forced every
     * {@code segmentMicros} of stream time as {@link KeyframePolicy#atSegmentBoundaries} does for our encoder
     * (0: x264's own GOP), so both sides encode the same number of keyframes.
     */
    public static Result ffmpegCli(Path source, int frames, String videoFilter, EncodingSpec encoding,
                                   long segmentMicros, List<String> outputArgs) {
        EncodingSpec enc = encoding == null ? EncodingSpec.defaults() : encoding;
        int kbps = enc.bitrateKbps() == null ? 2500 : enc.bitrateKbps();
        List<String> cmd = new ArrayList<>(List.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class),
                "-hide_banner", "-nostats", "-benchmark", "-y", "-i", source.toString(), "-frames:v", String.valueOf(frames)));
        if (videoFilter != null && !videoFilter.isBlank()) {
            cmd.addAll(List.of("-vf", videoFilter));
        }
        cmd.addAll(List.of("-c:v", "libx264", "-preset", enc.preset() == null ? "veryfast" : enc.preset(),
                "-tune", "zerolatency", "-bf", "0", "-b:v", kbps + "k", "-maxrate", kbps + "k", "-bufsize", kbps + "k",
                "-an"));
        if (segmentMicros > 0) {
            cmd.addAll(List.of("-force_key_frames", "expr:gte(t,n_forced*" + segmentMicros / 1e6 + ")",
                    "-forced-idr", "1"));
        }
        cmd.addAll(outputArgs == null || outputArgs.isEmpty() ? List.of("-f", "null", "-") : outputArgs);
        try {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(proc.getInputStream().readAllBytes());
            if (!proc.waitFor(10, TimeUnit.MINUTES) || proc.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + String.join(" ", cmd) + "\n" + log);
            }
            Matcher m = Pattern.compile("bench: utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s").matcher(log);
            if (!m.find()) {
                throw new IllegalStateException("ffmpeg printed no -benchmark line:\n" + log);
            }
            double cpu = Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2));
            return new Result("ffmpeg-cli", frames, Double.parseDouble(m.group(3)), cpu, 0, 0, 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ffmpeg", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static StreamProcessor processor(String name, Setup s, MediaSink out, boolean offline) {
        return StreamProcessor.builder(name)
                .encoding(s.encoding())
                .decoder(s.decoder())
                .stages(s.stages())
                .keyframes(s.segmentMicros() > 0 ? KeyframePolicy.atSegmentBoundaries(s.segmentMicros())
                        : KeyframePolicy.none())
                .blockWhenFull(offline)
                .output(out)
                .build();
    }

    /** CPU time of the whole process (every thread, native ones included). */
    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report process CPU time");
    }

    /** Forwards to the real output and opens when the pipeline reports the end of the benchmark input. */
    private static final class EndLatch implements MediaSink {
        private final MediaSink next;
        private final CountDownLatch ended = new CountDownLatch(1);

        EndLatch(MediaSink next) {
            this.next = next;
        }

        @Override
        public void accept(MediaPacket packet) {
            next.accept(packet);
        }

        @Override
        public void end(String reason) {
            next.end(reason);
            ended.countDown();
        }

        void await() {
            try {
                if (!ended.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the pipeline did not finish in 10 minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
