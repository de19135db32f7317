package com.streamloom.compositor;

import com.streamloom.media.codec.PictureLimit;
import com.streamloom.media.codec.VideoEncoder;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.node.PipelineStatus;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One composition running on this node: the {@link Composition} (inputs, alignment, render, audio mix) with the
 * {@code media} H.264 decoder per input, its canvas encoded by libx264 ({@link VideoEncoder}: zerolatency, an IDR at
 * every HLS segment boundary) and, with the mixed AAC, packaged as HLS by a packager that outlives this object (a
 * rebuild continues the same playlist after a discontinuity).
 *
 * <p>The encoder runs on a thread of its own ({@link CanvasEncoder}) behind a one-frame hand-off, so the output
 * thread renders the next canvas while the last one is encoded; an encoder that falls behind holds the output
 * thread back, which shows up as skipped ticks, which are counted.
 */
public final class LiveComposition implements AutoCloseable {
    final String id;
    private volatile CompositionSpec spec;
    private final Composition composition;
    private final CanvasEncoder canvasEncoder;
    private final HlsPackager hls;
    private final CompositionMetrics metrics;

    /**
     * @param spec validated spec
     * @param live tells whether an input stream has a publisher now (for the state)
     *             (public for the real-time benchmark, {@code bench.CompositorBenchmark}, which runs this class)
     */
    public LiveComposition(String id, CompositionSpec spec, HlsPackager hls, MeterRegistry registry, Clock clock,
                    Predicate<String> live) {
        this(id, spec, hls, registry, clock, live, PictureLimit.DEFAULT, picture -> { });
    }

    /**
     * @param pictureLimit the largest input picture decoded ({@code media.maxPicture})
     * @param pictures     shown each canvas before it is encoded (the composition's thumbnail)
     */
    LiveComposition(String id, CompositionSpec spec, HlsPackager hls, MeterRegistry registry, Clock clock,
                    Predicate<String> live, PictureLimit pictureLimit, Consumer<VideoFrame> pictures) {
        this.id = id;
        this.spec = spec;
        this.hls = hls;
        this.canvasEncoder = new CanvasEncoder(spec.name(), OutputEncoding.encoderFor(spec), hls::accept, pictures);
        try {
            this.composition = new Composition(spec, clock, () -> new H264Decoding(pictureLimit), canvasEncoder, hls);
        } catch (RuntimeException e) {
            canvasEncoder.close();
            throw e;
        }
        this.metrics = CompositionMetrics.bind(registry, this, live);
        composition.start();
    }

    CompositionSpec spec() {
        return spec;
    }

    public Composition composition() {
        return composition;
    }

    /** Whether {@code next} can be applied without a rebuild: same canvas and HLS settings (see Composition#update). */
    boolean canApplyLive(CompositionSpec next) {
        return next.canvas().equals(spec.canvas())
                && next.output().segmentSeconds().equals(spec.output().segmentSeconds())
                && next.output().windowSegments().equals(spec.output().windowSegments());
    }

    /** Inputs, layout, labels, borders, gains and audio mode change at the next output tick. */
    void apply(CompositionSpec next) {
        composition.update(next);
        spec = next;
        metrics.rebindInputs(next);
    }

    double fps() {
        return canvasEncoder.fps();
    }

    long encodeErrors() {
        return canvasEncoder.encodeErrors();
    }

    public long framesEncoded() {
        return canvasEncoder.framesEncoded();
    }

    /** Render time (mean of the last second) plus encode time of the last canvas, in milliseconds. */
    double tickMillis() {
        return composition.stats().renderMicros() / 1000 + canvasEncoder.encodeMillis();
    }

    /** Frames lost anywhere: skipped output ticks plus every input's drops (queue, late, overflow, undecodable). */
    long drops() {
        Composition.Stats s = composition.stats();
        long d = s.skippedTicks();
        for (Composition.InputStats in : s.inputs().values()) {
            d += in.queueDrops() + in.decodeErrors() + in.video().late() + in.video().overflow();
        }
        return d;
    }

    String state(Predicate<String> live) {
        if (canvasEncoder.lastError() != null && framesEncoded() == 0) {
            return "failed";
        }
        return spec.inputs().stream().anyMatch(in -> live.test(in.stream())) ? "live" : "waiting";
    }

    /**
     * The encoder's last error; else each input whose pictures are refused (over {@code media.maxPicture}), named with
     * the reason, while the other inputs keep composing; null when all is well.
     */
    String error() {
        String encoder = canvasEncoder.lastError();
        if (encoder != null) {
            return encoder;
        }
        String refused = composition.stats().inputs().entrySet().stream()
                .filter(e -> e.getValue().pictureRefusal() != null)
                .map(e -> "input " + e.getKey() + ": " + e.getValue().pictureRefusal())
                .sorted()
                .collect(java.util.stream.Collectors.joining("; "));
        return refused.isEmpty() ? null : refused;
    }

    PipelineStatus status(Predicate<String> live) {
        return new PipelineStatus(id, "composition", state(live), fps(), tickMillis(), drops(), error());
    }

    @Override
    public void close() {
        metrics.close();
        composition.close();         // joins the output thread, which hands canvases to the encoder thread
        canvasEncoder.close();       // encodes what is queued, joins the encoder thread, frees libx264
        hls.end("composition " + spec.name() + " stopped");
    }
}
