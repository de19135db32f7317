package com.streamloom.compositor;

import com.streamloom.media.codec.KeyframePolicy;
import com.streamloom.media.codec.VideoEncoder;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.node.PipelineStatus;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One composition running on this node: the {@link Composition} (inputs, alignment, render, audio mix) with the
 * {@code media} H.264 decoder per input, its canvas encoded by libx264 ({@link VideoEncoder}: zerolatency, an IDR at
 * every HLS segment boundary) and, with the mixed AAC, packaged as HLS by a packager that outlives this object (a
 * rebuild continues the same playlist after a discontinuity).
 *
 * <p>The encoder runs on the composition's output thread, inside the tick: one frame in is one packet out with
 * zerolatency, so no queue is needed, and a slow encode shows up as skipped ticks, which are counted.
 */
final class LiveComposition implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveComposition.class);

    final String id;
    private volatile CompositionSpec spec;
    private final Composition composition;
    private final VideoEncoder encoder;
    private final HlsPackager hls;
    private final CompositionMetrics metrics;
    private final FrameRate outputRate = new FrameRate();
    private final AtomicLong encodeErrors = new AtomicLong();
    private volatile double tickMillis;
    private volatile String lastError;

    /**
     * @param spec validated spec
     * @param live tells whether an input stream has a publisher now (for the state)
     */
    LiveComposition(String id, CompositionSpec spec, HlsPackager hls, MeterRegistry registry, Clock clock,
                    Predicate<String> live) {
        this.id = id;
        this.spec = spec;
        this.hls = hls;
        CompositionSpec.Canvas canvas = spec.canvas();
        this.encoder = new VideoEncoder(OutputEncoding.forCanvas(canvas),
                KeyframePolicy.atSegmentBoundaries(Math.round(spec.output().segmentSeconds() * 1_000_000)),
                canvas.fps());
        this.composition = new Composition(spec, clock, H264Decoding::new, this::encode, hls);
        this.metrics = CompositionMetrics.bind(registry, this, live);
        composition.start();
    }

    /** Called on the output thread with each canvas (borrowed). */
    private void encode(VideoFrame canvas) {
        long start = System.nanoTime();
        try {
            encoder.encode(canvas, hls::accept);
        } catch (RuntimeException e) {
            // One failed frame must not stop the output; the next keyframe policy boundary heals the stream.
            encodeErrors.incrementAndGet();
            lastError = "encode failed: " + e.getMessage();
            log.warn("composition {}: {}", spec.name(), lastError);
            return;
        }
        long end = System.nanoTime();
        outputRate.record(end);
        tickMillis = composition.stats().renderMicros() / 1000 + (end - start) / 1e6;
    }

    CompositionSpec spec() {
        return spec;
    }

    Composition composition() {
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
        return outputRate.fps(System.nanoTime());
    }

    long encodeErrors() {
        return encodeErrors.get();
    }

    long framesEncoded() {
        return encoder.framesEncoded();
    }

    /** Render plus encode time of the last tick, in milliseconds. */
    double tickMillis() {
        return tickMillis;
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
        if (lastError != null && framesEncoded() == 0) {
            return "failed";
        }
        return spec.inputs().stream().anyMatch(in -> live.test(in.stream())) ? "live" : "waiting";
    }

    String error() {
        return lastError;
    }

    PipelineStatus status(Predicate<String> live) {
        return new PipelineStatus(id, "composition", state(live), fps(), tickMillis, drops(), error());
    }

    @Override
    public void close() {
        metrics.close();
        composition.close();         // joins the output thread, the only user of the encoder
        encoder.close();
        hls.end("composition " + spec.name() + " stopped");
    }
}
