package com.streamloom.compositor;

import com.streamloom.compositor.align.InputClock;
import com.streamloom.compositor.align.InputTrack;
import com.streamloom.compositor.audio.AudioMixer;
import com.streamloom.compositor.layout.Box;
import com.streamloom.compositor.layout.LayoutEngine;
import com.streamloom.compositor.layout.Placement;
import com.streamloom.compositor.render.Renderer;
import com.streamloom.compositor.render.YuvColor;
import com.streamloom.media.codec.FfmpegLog;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.spec.CompositionSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One running composition: its inputs, each fed by a {@link MediaSink} (from the RTMP server) and aligned
 * on its own clock; an output frame clock that renders the canvas at the canvas frame rate and hands it to the video
 * output (the encoder); and the audio mix, handed to the audio output as AAC packets.
 *
 * <p>The output clock is fixed: tick {@code n} has pts {@code n / fps} and is rendered at wall time
 * {@code epoch + n / fps}, whatever the inputs do. Inputs that stop turn to the slate, inputs that come back
 * reappear, and {@link #update} changes inputs and layout between two ticks, so the output never restarts. If
 * rendering falls behind by more than two frames the missed ticks are skipped (and counted), keeping
 * pts true to wall time rather than bursting.
 *
 * <p>Threads: network threads call the sinks; each input has a worker thread (decode); one output thread ticks
 * (or the caller of {@link #tick()}, in tests and benchmarks). Spec changes and input removals are applied by the
 * output thread at the start of a tick, because only it touches the frames the renderer draws.
 */
public final class Composition implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Composition.class);
    /** A tick later than this many frame intervals skips ahead instead of catching up. */
    public static final int MAX_TICKS_BEHIND = 2;
    /** AAC output bit rate: stereo 48 kHz at 128 kbit/s is transparent enough for a mix of talk and music. */
    public static final int AUDIO_BIT_RATE = 128_000;

    /** Counters since start. {@code renderMicros} is the mean render time of the last second's ticks. */
    public record Stats(long ticks, long skippedTicks, double renderMicros, Map<String, InputStats> inputs,
                        AudioMixer.Stats audio) {
    }

    /**
     * One input's counters: its jitter buffer, plus packets dropped before decoding and undecodable ones; and why its
     * pictures are refused ({@code media.maxPicture}), or null while they fit.
     */
    public record InputStats(InputTrack.Stats video, long queueDrops, long decodeErrors, String pictureRefusal) {
    }

    private final String name;
    private final Clock clock;
    private final Supplier<? extends VideoDecoding> decoders;
    private final Consumer<VideoFrame> videoOut;
    private final MediaSink audioOut;
    private final Renderer renderer;
    private final AudioMixer mixer;
    private final long frameMicros;
    private long epochMicros;
    private boolean begun;
    private final int fps;

    private final Map<String, CompositionInput> inputs = new ConcurrentHashMap<>();
    private final AtomicReference<CompositionSpec> pending = new AtomicReference<>();
    private final Object updateLock = new Object();
    private CompositionSpec spec;             // as applied by the output thread
    private CompositionSpec latest;           // as last accepted by update(), under updateLock
    private List<Placement> placements;
    private YuvColor background;
    private List<YuvColor> borders;            // per input index, null without a border

    private long tickIndex;
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong skippedTicks = new AtomicLong();
    private volatile double renderMicros;
    private long renderSum, renderCount;
    private Thread outputThread;
    private volatile boolean running;
    private boolean closed;

    /**
     * @param spec     the composition; validated here
     * @param clock    wall clock for arrival times and pacing (a fake one in tests)
     * @param decoders makes one video decoder per input (the {@code media} library's decoder in production)
     * @param videoOut receives each rendered canvas, borrowed for the call (copy it to keep it); typically the
     *                 encoder, which must return quickly
     * @param audioOut receives the mixed audio: first a config packet, then AAC packets
     */
    public Composition(CompositionSpec spec, Clock clock, Supplier<? extends VideoDecoding> decoders,
                       Consumer<VideoFrame> videoOut, MediaSink audioOut) {
        CompositionSpec s = spec.validated();
        this.name = s.name();
        this.clock = Objects.requireNonNull(clock);
        this.decoders = Objects.requireNonNull(decoders);
        this.videoOut = Objects.requireNonNull(videoOut);
        this.audioOut = Objects.requireNonNull(audioOut);
        this.fps = s.canvas().fps();
        this.frameMicros = 1_000_000L / fps;
        this.renderer = new Renderer(s.canvas().width(), s.canvas().height());
        this.mixer = new AudioMixer(AUDIO_BIT_RATE);
        synchronized (updateLock) {
            latest = s;
            createMissingInputs(s);
        }
        apply(s);
    }

    public String name() {
        return name;
    }

    /** The spec the output currently renders (a newer one from {@link #update} applies at the next tick). */
    public synchronized CompositionSpec spec() {
        return spec;
    }

    /** Output frame interval in microseconds (pts step between two canvases). */
    public long frameMicros() {
        return frameMicros;
    }

    /**
     * Where the packets of input {@code stream} go (to be called by the RTMP server when a publisher of that stream
     * name starts). The sink looks its input up on every packet, so it stays valid across {@link #update}s; packets
     * of a stream that is not (or no longer) an input are ignored.
     *
     * <p>The sink remembers the publication's last video and audio config packets and hands them to an input that
     * joins mid-publication (added by an update while the publisher was already live, or removed and added again)
     * before its first packet: RTMP sends the decoder configuration only once, at the start of a publication.
     */
    public MediaSink sinkFor(String stream) {
        return new MediaSink() {
            private MediaPacket videoConfig;
            private MediaPacket audioConfig;
            private CompositionInput fed;

            @Override
            public synchronized void accept(MediaPacket packet) {
                if (packet.config()) {
                    if (packet.isVideo()) videoConfig = packet;
                    else audioConfig = packet;
                }
                CompositionInput in = inputs.get(stream);
                if (in != fed) {
                    fed = in;
                    if (in != null) {
                        if (videoConfig != null && videoConfig != packet) in.accept(videoConfig);
                        if (audioConfig != null && audioConfig != packet) in.accept(audioConfig);
                    }
                }
                if (in != null) in.accept(packet);
            }

            @Override
            public synchronized void end(String reason) {
                CompositionInput in = inputs.get(stream);
                if (in != null) in.end(reason);
                fed = null;
                videoConfig = null;
                audioConfig = null;
            }
        };
    }

    /** The input fed by {@code stream}, or null (tests look at its track and its cell). */
    CompositionInput input(String stream) {
        return inputs.get(stream);
    }

    /** Whether {@code stream} is one of the inputs (the RTMP server's publish check). */
    public boolean hasInput(String stream) {
        return inputs.containsKey(stream);
    }

    /**
     * Changes inputs, layout, labels, borders, gains, audio mode and background while the output runs; visible at
     * the next tick. The canvas size and frame rate are fixed for the life of a composition (the encoder and the
     * HLS stream depend on them): a change of those throws, and needs a new composition.
     */
    public void update(CompositionSpec newSpec) {
        CompositionSpec s = newSpec.validated();
        synchronized (updateLock) {
            if (!s.name().equals(name)) {
                throw new IllegalArgumentException("spec is for composition " + s.name() + ", not " + name);
            }
            CompositionSpec.Canvas a = latest.canvas(), b = s.canvas();
            if (!a.width().equals(b.width()) || !a.height().equals(b.height()) || !a.fps().equals(b.fps())) {
                throw new IllegalArgumentException("canvas size and fps cannot change on a running composition ("
                        + a.width() + "x" + a.height() + "@" + a.fps() + " to " + b.width() + "x" + b.height() + "@"
                        + b.fps() + "); create a new composition");
            }
            latest = s;
            // New inputs start receiving at once; removed ones are closed by the output thread.
            createMissingInputs(s);
            pending.set(s);
        }
    }

    private void createMissingInputs(CompositionSpec s) {
        for (CompositionSpec.Input in : s.inputs()) {
            inputs.computeIfAbsent(in.stream(),
                    k -> new CompositionInput(name, in, clock, decoders.get(), mixer));
        }
    }

    /** Output-thread side of a spec change. */
    private synchronized void apply(CompositionSpec s) {
        Set<String> wanted = new HashSet<>();
        for (CompositionSpec.Input in : s.inputs()) {
            wanted.add(in.stream());
            CompositionInput ci = inputs.get(in.stream());
            if (ci != null) ci.update(in);
        }
        synchronized (updateLock) {
            // Only inputs that the newest accepted spec no longer lists go (a later update may have re-added one).
            Set<String> keep = new HashSet<>(wanted);
            latest.inputs().forEach(i -> keep.add(i.stream()));
            for (String stream : new ArrayList<>(inputs.keySet())) {
                if (!keep.contains(stream)) {
                    CompositionInput gone = inputs.remove(stream);
                    LOG.info("composition {}: input {} removed", name, stream);
                    gone.close();
                }
            }
        }
        mixer.configure(s, stream -> inputs.get(stream).clock());
        placements = LayoutEngine.place(s);
        targetCells(s);
        background = YuvColor.parse(s.canvas().background());
        borders = s.inputs().stream().map(in -> in.borderWidth() > 0 ? YuvColor.parse(in.borderColor()) : null).toList();
        spec = s;
    }

    /**
     * Tells each input's worker the cell its pictures are drawn into, so that it shrinks them there (the largest
     * cell for an input placed more than once; none for an input not placed).
     */
    private void targetCells(CompositionSpec s) {
        Box[] largest = new Box[s.inputs().size()];
        for (Placement p : placements) {
            Box b = largest[p.input()];
            if (b == null || (long) p.cell().width() * p.cell().height() > (long) b.width() * b.height()) {
                largest[p.input()] = p.cell();
            }
        }
        for (int i = 0; i < largest.length; i++) {
            CompositionInput in = inputs.get(s.inputs().get(i).stream());
            if (in != null) in.scaler().target(largest[i]);
        }
    }

    /**
     * Renders and emits the next output frame (and the audio up to its time). The output thread calls this on its
     * schedule; tests and benchmarks call it directly with a fake clock.
     */
    public void tick() {
        begin();
        CompositionSpec next = pending.getAndSet(null);
        if (next != null) apply(next);
        long pts = tickIndex * frameMicros;
        long wall = epochMicros + pts;
        tickIndex++;
        long start = System.nanoTime();
        List<Renderer.Layer> layers = new ArrayList<>(placements.size());
        Map<Integer, InputTrack.Picture> pictures = new LinkedHashMap<>();
        for (Placement p : placements) {
            CompositionSpec.Input in = spec.inputs().get(p.input());
            // An input placed twice (free layout) takes its picture once per tick.
            InputTrack.Picture pic = pictures.computeIfAbsent(p.input(),
                    i -> inputs.get(in.stream()).track().pictureAt(wall));
            layers.add(new Renderer.Layer(p.cell(), pic.frame(), in.label(), borders.get(p.input()), in.borderWidth()));
        }
        VideoFrame canvas = renderer.render(background, layers, pts);
        recordRenderTime(System.nanoTime() - start);
        videoOut.accept(canvas);
        for (MediaPacket p : mixer.mixUntil(wall)) { // the mixer's first packet is its AudioSpecificConfig
            audioOut.accept(p);
        }
        ticks.incrementAndGet();
    }

    /** Output pts 0 is the wall time of the first tick (or of start()), not of construction, which is slow. */
    private void begin() {
        if (!begun) {
            begun = true;
            epochMicros = InputClock.micros(clock);
            mixer.startAt(epochMicros);
        }
    }

    private void recordRenderTime(long nanos) {
        renderSum += nanos;
        if (++renderCount >= fps) {
            renderMicros = renderSum / 1000.0 / renderCount;
            renderSum = 0;
            renderCount = 0;
        }
    }

    /** Starts the output thread, which ticks at the canvas frame rate on the injected clock. */
    public synchronized void start() {
        if (outputThread != null) throw new IllegalStateException("already started");
        if (closed) throw new IllegalStateException("closed");
        running = true;
        begin();
        outputThread = new Thread(FfmpegLog.named(name, this::runOutput), "compositor-" + name + "-output");
        outputThread.setDaemon(true);
        outputThread.start();
    }

    private void runOutput() {
        while (running) {
            long due = epochMicros + tickIndex * frameMicros;
            long now = InputClock.micros(clock);
            if (now < due) {
                LockSupport.parkNanos((due - now) * 1000);
                continue;
            }
            long behind = (now - due) / frameMicros;
            if (behind > MAX_TICKS_BEHIND) {
                tickIndex += behind;
                skippedTicks.addAndGet(behind);
            }
            try {
                tick();
            } catch (RuntimeException e) {
                // One bad frame or a failing consumer must not stop the output; it is logged and the clock goes on.
                LOG.error("composition {}: tick failed", name, e);
            }
        }
    }

    /** Packets accepted by the input sinks and not yet decoded, over all inputs (a backlog gauge). */
    public int pendingPackets() {
        int n = 0;
        for (CompositionInput in : inputs.values()) n += in.pendingPackets();
        return n;
    }

    public Stats stats() {
        Map<String, InputStats> per = new LinkedHashMap<>();
        inputs.forEach((k, v) -> per.put(k, new InputStats(v.track().stats(), v.queueDrops(), v.decodeErrors(),
                v.pictureRefusal())));
        return new Stats(ticks.get(), skippedTicks.get(), renderMicros, per, mixer.stats());
    }

    /** Stops the output thread and frees every input, the renderer and the mixer. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) return;
            closed = true;
            running = false;
            t = outputThread;
        }
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inputs.values().forEach(CompositionInput::close);
        inputs.clear();
        renderer.close();
        mixer.close();
    }
}
