package com.streamloom.media.pipeline;

import com.streamloom.media.codec.AudioTranscoder;
import com.streamloom.media.codec.FfmpegLog;
import com.streamloom.media.codec.VideoDecoder;
import com.streamloom.media.codec.VideoEncoder;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.spec.EncodingSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The per-stream pipeline: a {@link MediaSink} that ingest feeds, and three threads that run decode → ordered
 * {@link FrameStage}s → encode and hand the output packets, video and audio in one order, to an output
 * {@link MediaSink} (the HLS packager, a forwarder).
 *
 * <h2>Threads and queues</h2>
 * {@link #accept} runs on the network thread and only stamps the packet's arrival time and offers it to a
 * {@link BoundedQueue} (drop oldest, counted). The decoding thread ({@code stream-<name>-decode}) decodes video and
 * handles audio; a bounded hand-off carries frames (and audio and markers, in the same order) to the stage thread
 * ({@code stream-<name>}, the stream's processing thread: every stage runs and is closed there), and a second one
 * to the encoding thread ({@code stream-<name>-encode}). So decoding frame n+2, the stages of frame n+1 and x264's
 * work on frame n overlap, as the ffmpeg CLI's decoder, filter and encoder threads do (measured with the edge
 * benchmark). Each codec and stage is touched by one thread only and needs no locks. Each thread's work is a class
 * of its own: {@link Decoding} (source re-timing, {@link FrameRateGate}), {@link StageRunner} (stages and their
 * swapping), {@link Encoding} ({@link AvInterleaver}, latency); the hand-offs are {@link Handoff}s, the counters
 * {@link PipelineCounters}.
 *
 * <p>Drops, live: a dropped video packet breaks the reference chain, so video is skipped until the next keyframe;
 * a hand-off that is full drops its oldest frame (closed and counted, {@link #framesDroppedBeforeStages},
 * {@link #framesDroppedBeforeEncode}); config packets, audio after the decoder and end-of-source markers are never
 * lost (they are rescued and applied in order). Offline ({@link StreamProcessorBuilder#blockWhenFull}) every step waits instead.
 *
 * <h2>Live changes</h2>
 * {@link #updateStages} swaps the whole stage list between two frames; the old stages are closed on the
 * processing thread after the swap. Nothing restarts: decoder, encoder and output keep running, no frame is lost.
 *
 * <h2>Publisher gone and back</h2>
 * {@link #end} drains the decoder (every frame received is encoded), flushes audio, and calls {@code end(reason)}
 * on the output, which marks a discontinuity (EXT-X-DISCONTINUITY in HLS). The processor stays usable: the next
 * publisher's packets are shifted onto the output clock right after the last output (timestamps stay monotonic,
 * ARCHITECTURE "never a reset"), and its first frame is an IDR.
 *
 * <h2>A/V order</h2>
 * Audio (copied, re-encoded or dropped per {@link EncodingSpec#audio()}) keeps its timestamps and is released to
 * the output only once video has been emitted up to its time, so the output is interleaved by timestamp as a
 * muxer expects. Audio is never held more than {@link AvInterleaver#AUDIO_HOLD_MICROS} behind stalled video.
 *
 * <h2>Latency</h2>
 * Each encoded video packet's latency is {@code now - arrival} of the source packet with the same pts (x264 with
 * zerolatency and no B-frames keeps pts); it goes into {@link #latency()} and to latency listeners (metrics).
 */
public final class StreamProcessor implements MediaSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessor.class);
    private static final int MAX_TRACKED_ARRIVALS = 512;

    private final String name;
    private final PipelineCounters counters = new PipelineCounters();
    private final Handoff<Decoding.Input> input;
    private final Decoding decoding;
    private final Thread decodeThread;
    /** Decoded frames (with their context), audio and markers, in order, from the decoding to the stage thread. */
    private final Handoff<Object> toStages;
    private final StageRunner stages;
    private final Thread thread;
    /** Frames after the stages, audio and end markers, in order, from the stage to the encoding thread. */
    private final Handoff<Object> toEncoder;
    private final Encoding encoding;
    private final Thread encoderThread;
    private volatile boolean running;

    StreamProcessor(StreamProcessorBuilder b) {
        this.name = b.name;
        this.input = new Handoff<>(b.queueCapacity, b.rescueCapacity, b.blockWhenFull, this::inputDropped);
        this.toStages = new Handoff<>(b.stageQueueCapacity, b.rescueCapacity, b.blockWhenFull,
                item -> frameDropped(item, () -> counters.framesDroppedBeforeStages++));
        this.toEncoder = new Handoff<>(b.encoderQueueCapacity, b.rescueCapacity, b.blockWhenFull,
                item -> frameDropped(item, () -> counters.framesDroppedBeforeEncode++));
        // Source packet arrival (nanoTime) by output pts: written by the decoding thread, read by the encoder's.
        ArrivalTimes arrivals = new ArrivalTimes(MAX_TRACKED_ARRIVALS);
        this.decoding = new Decoding(name, b.clock, b.encoding.audio(), b.encoding.maxFps(),
                new VideoDecoder(b.decoderOptions, b.pictureLimit),
                "aac".equals(b.encoding.audio()) ? new AudioTranscoder(b.audioBitrate) : null, toStages, arrivals,
                counters);
        this.stages = new StageRunner(name, b.stages, toEncoder, counters);
        this.encoding = new Encoding(new VideoEncoder(b.encoding, b.keyframes, b.fpsHint), b.output, b.pictures,
                arrivals, counters);
        this.decodeThread = new Thread(FfmpegLog.named(name, this::runDecoder), "stream-" + name + "-decode");
        this.thread = new Thread(FfmpegLog.named(name, () -> consume(toStages, decodeThread, stages::handle,
                stages::applyPending, stages::release, toEncoder::close)), "stream-" + name);
        this.encoderThread = new Thread(FfmpegLog.named(name, () -> consume(toEncoder, thread, encoding::handle,
                () -> { }, encoding::release, () -> { })), "stream-" + name + "-encode");
        for (Thread t : List.of(decodeThread, thread, encoderThread)) {
            t.setDaemon(true);
        }
    }

    public static StreamProcessorBuilder builder(String streamName) {
        return new StreamProcessorBuilder(streamName);
    }

    /** Starts the pipeline's threads. */
    public StreamProcessor start() {
        running = true;
        decodeThread.start();
        thread.start();
        encoderThread.start();
        return this;
    }

    // ---- MediaSink: network threads ----

    @Override
    public void accept(MediaPacket packet) {
        Objects.requireNonNull(packet, "packet");
        input.offer(new Decoding.Input(packet, System.nanoTime(), null));
    }

    @Override
    public void end(String reason) {
        input.offer(new Decoding.Input(null, System.nanoTime(), reason == null ? "source ended" : reason));
    }

    /** Runs under the input queue's lock: config packets and end markers are rescued, a video gap is flagged. */
    private boolean inputDropped(Decoding.Input in) {
        if (in.endReason() != null || in.packet().config()) {
            return true;               // applied before the next queued item, i.e. in its original order
        }
        if (in.packet().isVideo()) {
            decoding.videoGap();
        }
        return false;
    }

    /** Runs under a hand-off's lock: a frame is closed and counted; anything else is kept while running. */
    private boolean frameDropped(Object item, Runnable count) {
        VideoFrame f = item instanceof StagedFrame s ? s.frame() : item instanceof VideoFrame v ? v : null;
        if (f != null) {
            f.close();
            count.run();
            return false;
        }
        return running;
    }

    /**
     * Replaces the stage list; it takes effect before the next frame. The processor owns the given stages from now
     * on and closes the replaced ones (except any instance that is also in the new list) on its own thread.
     */
    public void updateStages(List<FrameStage> newStages) {
        if (thread.getState() == Thread.State.TERMINATED) {
            newStages.forEach(stages::closeQuietly);
            throw new IllegalStateException("stream " + name + " is closed");
        }
        stages.update(newStages);
    }

    /** Called with the latency (nanoseconds, packet in → encoded packet out) of every encoded frame. */
    public void addLatencyListener(LongConsumer listener) {
        encoding.addLatencyListener(listener);
    }

    public void removeLatencyListener(LongConsumer listener) {
        encoding.removeLatencyListener(listener);
    }

    /** Called on the processing thread after each stage swap (metrics follow the new stages). */
    public void addStageListener(Runnable listener) {
        stages.addListener(listener);
    }

    public void removeStageListener(Runnable listener) {
        stages.removeListener(listener);
    }

    // ---- the threads ----

    private void runDecoder() {
        try {
            while (running) {
                Decoding.Input in = input.take();
                if (in == null) {
                    continue;
                }
                try {
                    decoding.handle(in);
                } catch (RuntimeException e) {
                    processingFailed(in.packet() == null ? "end of source" : in.packet(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            decoding.release();
            toStages.close();
        }
    }

    private void processingFailed(Object what, RuntimeException e) {
        long n = counters.processingErrors.incrementAndGet();
        if (n <= 10 || n % 1000 == 0) {
            LOG.warn("stream {}: error #{} while processing {}", name, n, what, e);
        }
    }

    /**
     * The loop of the stage and the encoding thread: takes items until the processor is closed and the upstream
     * thread has ended (it closes the queue on its way out, so nothing can arrive after the last take), handles
     * them in order, and releases what the thread owns at the end; then closes the next hand-off.
     */
    private void consume(Handoff<Object> from, Thread upstream, Consumer<Object> handler, Runnable idle,
                         Runnable release, Runnable closeNext) {
        try {
            while (true) {
                Object item = from.take();
                idle.run();
                if (item == null) {
                    if (!running && !upstream.isAlive()) {
                        break;
                    }
                    continue;
                }
                if (!running) {
                    from.dropped(item);
                    continue;
                }
                try {
                    handler.accept(item);
                } catch (RuntimeException e) {
                    processingFailed(item, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                release.run();
            } finally {
                from.clear();
                closeNext.run();
            }
        }
    }

    /**
     * Stops the pipeline's threads and frees every native resource (codecs, stages). Packets still queued are
     * discarded: call {@link #end} first and wait for {@link #isIdle()} to drain them.
     */
    @Override
    public void close() {
        running = false;
        input.close();
        List<Thread> threads = List.of(decodeThread, thread, encoderThread);
        if (thread.getState() == Thread.State.NEW) {
            decoding.release();
            stages.release();
            encoding.release();
            return;
        }
        if (threads.contains(Thread.currentThread())) {
            return;                    // the loops end after this item and release on their own
        }
        try {
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (threads.stream().anyMatch(Thread::isAlive)) {
            LOG.error("stream {}: a pipeline thread did not stop in 10 s; its native memory is left allocated", name);
        }
    }

    // ---- statistics: any thread ----

    public String name() {
        return name;
    }

    /** True when nothing is queued (all accepted packets have been handled or are being handled). */
    public boolean isIdle() {
        return input.isEmpty() && toStages.isEmpty() && toEncoder.isEmpty();
    }

    public List<FrameStage> stages() {
        return stages.stages();
    }

    public LatencyHistogram latency() {
        return encoding.latency();
    }

    public int queueDepth() {
        return input.size();
    }

    public int queueCapacity() {
        return input.capacity();
    }

    /** Packets dropped by the input queue, and audio or configurations given up by any hand-off, when behind. */
    public long queueDrops() {
        return input.drops() + input.rescueDrops() + toStages.rescueDrops() + toEncoder.rescueDrops();
    }

    public long packetsIn() {
        return counters.packetsIn;
    }

    public long framesDecoded() {
        return counters.framesDecoded;
    }

    public long framesEncoded() {
        return counters.framesEncoded;
    }

    public long framesDroppedByStages() {
        return counters.framesDroppedByStages;
    }

    public long framesDroppedByRate() {
        return counters.framesDroppedByRate;
    }

    /** Video packets skipped after a queue drop, until the next keyframe. */
    public long videoPacketsSkipped() {
        return counters.videoPacketsSkipped;
    }

    /** Why the source's pictures are refused (larger than the node allows), or null while they fit. */
    public String pictureRefusal() {
        return decoding.pictureRefusal();
    }

    public long corruptPackets() {
        return decoding.corruptPackets();
    }

    public long audioPacketsOut() {
        return counters.audioPacketsOut;
    }

    public long stageErrors() {
        return counters.stageErrors;
    }

    public long processingErrors() {
        return counters.processingErrors.get();
    }

    /** Frames dropped between the stages and the encoder because encoding fell behind (live only). */
    public long framesDroppedBeforeEncode() {
        return counters.framesDroppedBeforeEncode;
    }

    /** Items waiting for the encoding thread. */
    public int encoderQueueDepth() {
        return toEncoder.size();
    }

    /**
     * Everything dropped on the way, for status pages: input packets, frames the hand-offs gave up because a later
     * thread fell behind, and frames the stages dropped.
     */
    public long drops() {
        return queueDrops() + counters.framesDroppedBeforeStages + counters.framesDroppedBeforeEncode
                + counters.framesDroppedByStages;
    }

    /** Frames dropped between the decoder and the stages because the stages fell behind (live only). */
    public long framesDroppedBeforeStages() {
        return counters.framesDroppedBeforeStages;
    }

    /** Items waiting for the stage thread. */
    public int stageQueueDepth() {
        return toStages.size();
    }

    public long discontinuities() {
        return counters.discontinuities;
    }

    /** Input frame rate measured from frame timestamps. */
    public double fps() {
        return decoding.fps();
    }
}
