package com.streamloom.media.pipeline;

import com.streamloom.media.codec.AudioTranscoder;
import com.streamloom.media.codec.KeyframePolicy;
import com.streamloom.media.codec.VideoDecoder;
import com.streamloom.media.codec.VideoEncoder;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.spec.EncodingSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * benchmark). Each codec and stage is touched by one thread only and needs no locks.
 *
 * <p>Drops, live: a dropped video packet breaks the reference chain, so video is skipped until the next keyframe;
 * a hand-off that is full drops its oldest frame (closed and counted, {@link #framesDroppedBeforeStages},
 * {@link #framesDroppedBeforeEncode}); config packets, audio after the decoder and end-of-source markers are never
 * lost (they are rescued and applied in order). Offline ({@link Builder#blockWhenFull}) every step waits instead.
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
 * muxer expects. Audio is never held more than {@link #AUDIO_HOLD_MICROS} behind stalled video.
 *
 * <h2>Latency</h2>
 * Each encoded video packet's latency is {@code now - arrival} of the source packet with the same pts (x264 with
 * zerolatency and no B-frames keeps pts); it goes into {@link #latency()} and to latency listeners (metrics).
 */
public final class StreamProcessor implements MediaSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessor.class);
    /** Longest time audio waits for video before it is released anyway (a video stall, an audio-only source). */
    static final long AUDIO_HOLD_MICROS = 1_000_000;
    private static final int MAX_PENDING_AUDIO = 512;
    private static final int MAX_TRACKED_ARRIVALS = 512;

    private final String name;
    private final EncodingSpec encoding;
    private final MediaSink output;
    private final Clock clock;
    private final boolean blockWhenFull;
    private final BoundedQueue<Input> input;
    private final ConcurrentLinkedQueue<Input> rescued = new ConcurrentLinkedQueue<>();
    private final AtomicReference<List<FrameStage>> pendingStages = new AtomicReference<>();
    private final List<LongConsumer> latencyListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> stageListeners = new CopyOnWriteArrayList<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final VideoDecoder decoder;
    private final VideoEncoder encoder;
    private final AudioTranscoder audioTranscoder;
    private final Thread decodeThread;
    /** Decoded frames (with their context), audio and markers, in order, from the decoding to the stage thread. */
    private final Handoff toStages;
    private final Thread thread;
    /** Frames after the stages, audio and end markers, in order, from the stage to the encoding thread. */
    private final Handoff toEncoder;
    private final Thread encoderThread;
    private volatile boolean running;
    private volatile boolean videoGap;

    /** Source packet arrival (nanoTime) by output pts: written by the processing thread, read by the encoder's. */
    private final ArrivalTimes arrivals = new ArrivalTimes(MAX_TRACKED_ARRIVALS);

    // Decoding-thread state.
    private boolean videoAnnounced;
    private boolean newSource;
    private long offsetMicros;
    private long inputEndMicros = Long.MIN_VALUE;
    private long lastRateTick = Long.MIN_VALUE;
    private long lastFramePts = Long.MIN_VALUE;
    private double meanFrameIntervalMicros;
    private long frameIndex;
    private final Consumer<VideoFrame> onFrame = this::onFrame;
    private final Consumer<MediaPacket> toStagesSink = this::audioToStages;

    // Stage-thread state.
    private List<FrameStage> stages;

    // Encoding-thread state.
    private final Consumer<MediaPacket> emitVideo = this::emitVideo;
    private final ArrayDeque<MediaPacket> pendingAudio = new ArrayDeque<>();
    private boolean sourceHasVideo;
    private long lastVideoOutDts = Long.MIN_VALUE;

    // Counters: each written by one pipeline thread (or a queue's drop callback), read by anyone.
    private volatile List<FrameStage> stagesView;
    private volatile double fps;
    private volatile long packetsIn;
    private volatile long framesDecoded;
    private volatile long framesEncoded;
    private volatile long framesDroppedByStages;
    private volatile long framesDroppedByRate;
    private volatile long videoPacketsSkipped;
    private volatile long audioPacketsOut;
    private volatile long stageErrors;
    private final java.util.concurrent.atomic.AtomicLong processingErrors = new java.util.concurrent.atomic.AtomicLong();
    private volatile long discontinuities;
    private volatile long framesDroppedBeforeEncode;
    private volatile long framesDroppedBeforeStages;

    private record Input(MediaPacket packet, long arrivalNanos, String endReason) {
    }

    /** The source ended: the encoding thread flushes audio and tells the output, after everything before it. */
    private record SourceEnd(String reason) {
    }

    /** The current source has a video track: audio waits for video from now on (A/V interleaving). */
    private enum SourceHasVideo { MARK }

    /** A decoded frame on its way to the stages, with what the stages may know about it. */
    private record Staged(VideoFrame frame, FrameContext context) {
    }

    private StreamProcessor(Builder b) {
        this.name = b.name;
        this.encoding = b.encoding;
        this.output = b.output;
        this.clock = b.clock;
        this.blockWhenFull = b.blockWhenFull;
        this.input = new BoundedQueue<>(b.queueCapacity, BoundedQueue.LeakPolicy.DROP_OLDEST, this::onInputDropped);
        this.stages = List.copyOf(b.stages);
        this.stagesView = stages;
        this.decoder = new VideoDecoder(b.decoderOptions);
        this.encoder = new VideoEncoder(encoding, b.keyframes, b.fpsHint);
        this.audioTranscoder = "aac".equals(encoding.audio()) ? new AudioTranscoder(b.audioBitrate) : null;
        this.decodeThread = new Thread(this::runDecoder, "stream-" + name + "-decode");
        this.toStages = new Handoff(b.stageQueueCapacity, this::onStageFrameDropped);
        this.thread = new Thread(() -> consume(toStages, decodeThread, this::stageItem, this::applyPendingStages,
                this::releaseStages), "stream-" + name);
        this.toEncoder = new Handoff(b.encoderQueueCapacity, this::onEncoderFrameDropped);
        this.encoderThread = new Thread(() -> consume(toEncoder, thread, this::encodeItem, () -> { },
                encoder::close), "stream-" + name + "-encode");
        for (Thread t : List.of(decodeThread, thread, encoderThread)) {
            t.setDaemon(true);
        }
    }

    public static Builder builder(String streamName) {
        return new Builder(streamName);
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
        enqueue(input, new Input(packet, System.nanoTime(), null));
    }

    @Override
    public void end(String reason) {
        enqueue(input, new Input(null, System.nanoTime(), reason == null ? "source ended" : reason));
    }

    /**
     * Live: never waits (a full queue drops by its policy, counted). Offline: waits for room. Returns false if the
     * item was not queued because the waiting thread was interrupted.
     */
    private <T> boolean enqueue(BoundedQueue<T> queue, T item) {
        if (!blockWhenFull) {
            queue.offer(item);
            return true;
        }
        try {
            queue.put(item);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs under the queue's lock: only flags and the rescue list. */
    private void onInputDropped(Input in) {
        if (in.endReason() != null || in.packet().config()) {
            rescued.add(in);           // applied before the next queued item, i.e. in its original order
        } else if (in.packet().isVideo()) {
            videoGap = true;
        }
    }

    /**
     * Replaces the stage list; it takes effect before the next frame. The processor owns the given stages from now
     * on and closes the replaced ones (except any instance that is also in the new list) on its own thread.
     */
    public void updateStages(List<FrameStage> newStages) {
        if (thread.getState() == Thread.State.TERMINATED) {
            newStages.forEach(this::closeQuietly);
            throw new IllegalStateException("stream " + name + " is closed");
        }
        List<FrameStage> never = pendingStages.getAndSet(List.copyOf(newStages));
        if (never != null) {
            // A previous update that was not applied yet: its stages never ran; close them with the next swap.
            retired.addAll(never);
        }
    }

    private final ConcurrentLinkedQueue<FrameStage> retired = new ConcurrentLinkedQueue<>();

    /** Called with the latency (nanoseconds, packet in → encoded packet out) of every encoded frame. */
    public void addLatencyListener(LongConsumer listener) {
        latencyListeners.add(listener);
    }

    public void removeLatencyListener(LongConsumer listener) {
        latencyListeners.remove(listener);
    }

    /** Called on the processing thread after each stage swap (metrics follow the new stages). */
    public void addStageListener(Runnable listener) {
        stageListeners.add(listener);
    }

    public void removeStageListener(Runnable listener) {
        stageListeners.remove(listener);
    }

    // ---- decoding thread ----

    private void runDecoder() {
        try {
            while (running) {
                Input in = input.poll(50, TimeUnit.MILLISECONDS, rescued);
                if (in == null) {
                    continue;
                }
                try {
                    handle(in);
                } catch (RuntimeException e) {
                    processingFailed(in.packet() == null ? "end of source" : in.packet(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            releaseDecoding();
            toStages.queue.close();
        }
    }

    private void processingFailed(Object what, RuntimeException e) {
        long n = processingErrors.incrementAndGet();
        if (n <= 10 || n % 1000 == 0) {
            LOG.warn("stream {}: error #{} while processing {}", name, n, what, e);
        }
    }

    private void handle(Input in) {
        if (in.endReason() != null) {
            handleEnd(in.endReason());
            return;
        }
        MediaPacket p = in.packet();
        packetsIn++;
        if (newSource) {
            newSource = false;
            // Continue the output clock right after what the last source produced.
            offsetMicros = inputEndMicros == Long.MIN_VALUE ? 0 : inputEndMicros - p.dtsMicros();
        }
        if (offsetMicros != 0) {
            p = p.withTimes(p.ptsMicros() + offsetMicros, p.dtsMicros() + offsetMicros);
        }
        if (!p.config()) {
            inputEndMicros = Math.max(inputEndMicros, Math.max(p.ptsMicros(), p.dtsMicros()) + frameIntervalMicros());
        }
        if (p.isVideo()) {
            handleVideo(p, in.arrivalNanos());
        } else {
            handleAudio(p);
        }
    }

    private void handleVideo(MediaPacket p, long arrivalNanos) {
        if (p.config()) {
            if (!videoAnnounced) {
                videoAnnounced = true;
                handOff(toStages, SourceHasVideo.MARK);
            }
        } else if (videoGap) {
            if (!p.keyframe()) {
                videoPacketsSkipped++;
                return;
            }
            videoGap = false;
        }
        if (!p.config()) {
            arrivals.put(p.ptsMicros(), arrivalNanos);
        }
        decoder.decode(p, onFrame);
        framesDecoded = decoder.framesDecoded();
    }

    private void handleAudio(MediaPacket p) {
        switch (encoding.audio() == null ? "copy" : encoding.audio()) {
            case "none" -> {
            }
            case "aac" -> audioTranscoder.transcode(p, toStagesSink);
            default -> handOff(toStages, p);
        }
    }

    private void audioToStages(MediaPacket p) {
        handOff(toStages, p);
    }

    private void handleEnd(String reason) {
        decoder.flush(onFrame);
        framesDecoded = decoder.framesDecoded();
        if (audioTranscoder != null) {
            audioTranscoder.flush(toStagesSink);
        }
        handOff(toStages, new SourceEnd(reason));
        newSource = true;
        videoAnnounced = false;
        videoGap = false;
        lastRateTick = Long.MIN_VALUE;
        lastFramePts = Long.MIN_VALUE;
    }

    private void onFrame(VideoFrame frame) {
        long pts = frame.ptsMicros();
        if (rateLimited(pts)) {
            framesDroppedByRate++;
            frame.close();
            return;
        }
        measureFps(pts);
        handOff(toStages, new Staged(frame, new FrameContext(name, clock, frameIndex++, fps)));
    }

    // ---- stage thread ----

    /** Frames go through the stages; audio and markers pass on to the encoding thread in the same order. */
    private void stageItem(Object item) {
        if (item instanceof Staged s) {
            runStages(s.frame(), s.context());
        } else {
            handOff(toEncoder, item);
        }
    }

    private void runStages(VideoFrame frame, FrameContext ctx) {
        VideoFrame f = frame;
        for (FrameStage stage : stages) {
            try {
                f = stage.apply(f, ctx);
            } catch (RuntimeException e) {
                stageErrors++;
                if (stageErrors <= 10 || stageErrors % 1000 == 0) {
                    LOG.warn("stream {}: stage {} failed (error #{}), frame passed on unchanged", name, stage.name(),
                            stageErrors, e);
                }
                if (f.isClosed()) {
                    f = null;
                }
            }
            if (f == null) {
                break;
            }
        }
        if (f == null) {
            framesDroppedByStages++;
            return;
        }
        handOff(toEncoder, f);
    }

    // ---- hand-offs between the threads ----

    /**
     * A bounded queue from one pipeline thread to the next, in order. Live: a full queue drops its oldest item; a
     * dropped frame is closed and counted, anything else (audio, markers) is rescued and taken before the next
     * queued item, i.e. in its original order. Offline: the sender waits for room.
     */
    private final class Handoff {
        final BoundedQueue<Object> queue;
        final ConcurrentLinkedQueue<Object> rescued = new ConcurrentLinkedQueue<>();
        private final Consumer<VideoFrame> onFrameDropped;

        Handoff(int capacity, Consumer<VideoFrame> onFrameDropped) {
            this.onFrameDropped = onFrameDropped;
            this.queue = new BoundedQueue<>(capacity, BoundedQueue.LeakPolicy.DROP_OLDEST, this::dropped);
        }

        /** Runs under the queue's lock: close and count frames, keep the rest. */
        void dropped(Object item) {
            VideoFrame f = item instanceof Staged s ? s.frame() : item instanceof VideoFrame v ? v : null;
            if (f != null) {
                f.close();
                onFrameDropped.accept(f);
            } else if (running) {
                rescued.add(item);
            }
        }

        Object take() throws InterruptedException {
            return queue.poll(50, TimeUnit.MILLISECONDS, rescued);
        }

        boolean isEmpty() {
            return queue.size() == 0 && rescued.isEmpty();
        }
    }

    private void handOff(Handoff to, Object item) {
        if (!enqueue(to.queue, item)) {
            to.dropped(item);
        }
    }

    private void onStageFrameDropped(VideoFrame f) {
        framesDroppedBeforeStages++;
    }

    private void onEncoderFrameDropped(VideoFrame f) {
        framesDroppedBeforeEncode++;
    }

    /**
     * The loop of the stage and the encoding thread: takes items until the processor is closed and the upstream
     * thread has ended (it closes the queue on its way out, so nothing can arrive after the last take), handles
     * them in order, and releases what the thread owns at the end.
     */
    private void consume(Handoff from, Thread upstream, Consumer<Object> handler, Runnable idle,
                         Runnable release) {
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
                from.queue.clear();
                if (from == toStages) {
                    toEncoder.queue.close();
                }
            }
        }
    }

    // ---- encoding thread ----

    private void encodeItem(Object item) {
        if (item instanceof VideoFrame f) {
            try {
                encoder.encode(f, emitVideo);
                framesEncoded = encoder.framesEncoded();
            } finally {
                f.close();
            }
        } else if (item instanceof MediaPacket audio) {
            queueAudio(audio);
        } else if (item == SourceHasVideo.MARK) {
            sourceHasVideo = true;
        } else if (item instanceof SourceEnd end) {
            releaseAudio(Long.MAX_VALUE);
            sourceHasVideo = false;
            discontinuities++;
            output.end(end.reason());
            // The next publisher starts a new HLS segment: an IDR on its first frame, boundaries from its time.
            encoder.keyframePolicy().reset();
            encoder.forceKeyframe();
        }
    }
    /** EncodingSpec.maxFps: keeps a frame only if it starts a new 1/maxFps slot of the stream clock. */
    private boolean rateLimited(long pts) {
        Integer max = encoding.maxFps();
        if (max == null || max <= 0) {
            return false;
        }
        long tick = Math.floorDiv(pts * max, 1_000_000L);
        if (lastRateTick != Long.MIN_VALUE && tick <= lastRateTick && tick > lastRateTick - max) {
            return true;       // same slot as the previous kept frame (a jump back of over 1 s restarts slots)
        }
        lastRateTick = tick;
        return false;
    }

    private void measureFps(long pts) {
        if (lastFramePts != Long.MIN_VALUE) {
            long d = pts - lastFramePts;
            if (d > 0 && d < 1_000_000) {
                meanFrameIntervalMicros = meanFrameIntervalMicros == 0 ? d : meanFrameIntervalMicros * 0.9 + d * 0.1;
                fps = 1_000_000.0 / meanFrameIntervalMicros;
            }
        }
        lastFramePts = pts;
    }

    private long frameIntervalMicros() {
        return meanFrameIntervalMicros > 0 ? (long) meanFrameIntervalMicros : 33_333;
    }

    private void emitVideo(MediaPacket p) {
        if (!p.config()) {
            long arrival = arrivals.take(p.ptsMicros());   // also forgets frames dropped on the way
            if (arrival != Long.MIN_VALUE) {
                long nanos = System.nanoTime() - arrival;
                latency.recordNanos(nanos);
                for (LongConsumer l : latencyListeners) {
                    l.accept(nanos);
                }
            }
            lastVideoOutDts = p.dtsMicros();
        }
        output.accept(p);
        releaseAudio(lastVideoOutDts);
    }

    private void queueAudio(MediaPacket p) {
        pendingAudio.addLast(p);
        if (!sourceHasVideo) {
            releaseAudio(Long.MAX_VALUE);
        } else {
            releaseAudio(Math.max(lastVideoOutDts, p.dtsMicros() - AUDIO_HOLD_MICROS));
            while (pendingAudio.size() > MAX_PENDING_AUDIO) {
                emitAudio(pendingAudio.pollFirst());
            }
        }
    }

    private void releaseAudio(long upToDts) {
        while (!pendingAudio.isEmpty() && pendingAudio.peekFirst().dtsMicros() <= upToDts) {
            emitAudio(pendingAudio.pollFirst());
        }
    }

    private void emitAudio(MediaPacket p) {
        if (!p.config()) {
            audioPacketsOut++;
        }
        output.accept(p);
    }

    private void applyPendingStages() {
        List<FrameStage> next = pendingStages.getAndSet(null);
        if (next == null) {
            if (!retired.isEmpty()) {
                closeRetired(Set.of());
            }
            return;
        }
        List<FrameStage> old = stages;
        stages = next;
        stagesView = next;
        retired.addAll(old);
        Set<FrameStage> keep = Collections.newSetFromMap(new IdentityHashMap<>());
        keep.addAll(next);
        closeRetired(keep);
        for (Runnable l : stageListeners) {
            l.run();
        }
    }

    private void closeRetired(Set<FrameStage> keep) {
        FrameStage s;
        while ((s = retired.poll()) != null) {
            if (!keep.contains(s)) {
                closeQuietly(s);
            }
        }
    }

    private void closeQuietly(FrameStage s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            LOG.warn("stream {}: closing stage {} failed", name, s.name(), e);
        }
    }

    /** Closes every stage the processor owns: current, pending and retired, each once. */
    private void releaseStages() {
        List<FrameStage> pending = pendingStages.getAndSet(null);
        Set<FrameStage> closed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<FrameStage> all = new ArrayList<>(stages);
        if (pending != null) {
            all.addAll(pending);
        }
        all.addAll(retired);
        retired.clear();
        for (FrameStage s : all) {
            if (closed.add(s)) {
                closeQuietly(s);
            }
        }
    }

    private void releaseDecoding() {
        decoder.close();
        if (audioTranscoder != null) {
            audioTranscoder.close();
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
            releaseDecoding();
            releaseStages();
            encoder.close();
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
        return input.size() == 0 && rescued.isEmpty() && toStages.isEmpty() && toEncoder.isEmpty();
    }

    public List<FrameStage> stages() {
        return stagesView;
    }

    public LatencyHistogram latency() {
        return latency;
    }

    public int queueDepth() {
        return input.size();
    }

    public int queueCapacity() {
        return input.capacity();
    }

    /** Packets dropped by the input queue because processing fell behind. */
    public long queueDrops() {
        return input.dropped();
    }

    public long packetsIn() {
        return packetsIn;
    }

    public long framesDecoded() {
        return framesDecoded;
    }

    public long framesEncoded() {
        return framesEncoded;
    }

    public long framesDroppedByStages() {
        return framesDroppedByStages;
    }

    public long framesDroppedByRate() {
        return framesDroppedByRate;
    }

    /** Video packets skipped after a queue drop, until the next keyframe. */
    public long videoPacketsSkipped() {
        return videoPacketsSkipped;
    }

    public long corruptPackets() {
        return decoder.corruptPackets() + (audioTranscoder == null ? 0 : audioTranscoder.corruptPackets());
    }

    public long audioPacketsOut() {
        return audioPacketsOut;
    }

    public long stageErrors() {
        return stageErrors;
    }

    public long processingErrors() {
        return processingErrors.get();
    }

    /** Frames dropped between the stages and the encoder because encoding fell behind (live only). */
    public long framesDroppedBeforeEncode() {
        return framesDroppedBeforeEncode;
    }

    /** Items waiting for the encoding thread. */
    public int encoderQueueDepth() {
        return toEncoder.queue.size();
    }

    /**
     * Everything dropped on the way, for status pages: input packets, frames the hand-offs gave up because a later
     * thread fell behind, and frames the stages dropped.
     */
    public long drops() {
        return queueDrops() + framesDroppedBeforeStages + framesDroppedBeforeEncode + framesDroppedByStages;
    }

    /** Frames dropped between the decoder and the stages because the stages fell behind (live only). */
    public long framesDroppedBeforeStages() {
        return framesDroppedBeforeStages;
    }

    /** Items waiting for the stage thread. */
    public int stageQueueDepth() {
        return toStages.queue.size();
    }

    public long discontinuities() {
        return discontinuities;
    }

    /** Input frame rate measured from frame timestamps. */
    public double fps() {
        return fps;
    }

    /** Builds a {@link StreamProcessor}; reads like the data flow: input queue, stages, encoding, output. */
    public static final class Builder {
        private final String name;
        private int queueCapacity = 120;
        private int stageQueueCapacity = 8;
        private int encoderQueueCapacity = 32;
        private boolean blockWhenFull;
        private List<FrameStage> stages = List.of();
        private EncodingSpec encoding = EncodingSpec.defaults();
        private KeyframePolicy keyframes = KeyframePolicy.atSegmentBoundaries(2_000_000);
        private VideoDecoder.Options decoderOptions = VideoDecoder.Options.lowLatency();
        private double fpsHint = 30;
        private int audioBitrate = 128_000;
        private MediaSink output;
        private Clock clock = Clock.systemUTC();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Input queue size in packets (default 120, about 2 s of 30 fps video with audio). */
        public Builder queueCapacity(int packets) {
            this.queueCapacity = packets;
            return this;
        }

        /**
         * Items between the decoder and the stages (frames, audio packets and markers; default 8): frames that
         * wait here may hold decoder buffers, so the queue is short.
         */
        public Builder stageQueueCapacity(int items) {
            this.stageQueueCapacity = items;
            return this;
        }

        /**
         * Items between the stages and the encoder (frames and audio packets; default 32, about 0.4 s): bounds
         * the memory of decoded frames waiting for x264 (a 720p frame is 1.4 MB).
         */
        public Builder encoderQueueCapacity(int items) {
            this.encoderQueueCapacity = items;
            return this;
        }

        /**
         * Offline sources only (files, benchmarks): {@link #accept} waits for room instead of dropping. Never for
         * network sources, whose threads must not block.
         */
        public Builder blockWhenFull(boolean block) {
            this.blockWhenFull = block;
            return this;
        }

        public Builder decoder(VideoDecoder.Options options) {
            this.decoderOptions = Objects.requireNonNull(options);
            return this;
        }

        /** The initial stages, in order; the processor owns and closes them. */
        public Builder stages(List<FrameStage> stages) {
            this.stages = List.copyOf(stages);
            return this;
        }

        /** Encoder preset, bitrate, max fps and audio mode (validated spec). */
        public Builder encoding(EncodingSpec encoding) {
            this.encoding = Objects.requireNonNull(encoding);
            return this;
        }

        /** Where IDR frames go (default: every 2 s, the default HLS segment). */
        public Builder keyframes(KeyframePolicy policy) {
            this.keyframes = Objects.requireNonNull(policy);
            return this;
        }

        /** Expected frame rate, for the encoder's rate control before any frame was seen. */
        public Builder fpsHint(double fps) {
            this.fpsHint = fps;
            return this;
        }

        /** AAC bitrate when audio is re-encoded ({@code audio: aac}). */
        public Builder audioBitrate(int bitsPerSecond) {
            this.audioBitrate = bitsPerSecond;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Receives the encoded video (avcC config, AVCC access units), the audio, and end(reason) per source. */
        public Builder output(MediaSink output) {
            this.output = Objects.requireNonNull(output);
            return this;
        }

        /** Builds the processor; call {@link StreamProcessor#start()} to run it. */
        public StreamProcessor build() {
            if (output == null) {
                throw new IllegalStateException("stream " + name + ": an output sink is required");
            }
            return new StreamProcessor(this);
        }
    }
}
