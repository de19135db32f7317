package com.streamloom.control.placement;

import com.streamloom.control.ControlConfig;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.EncodingSpec;
import com.streamloom.spec.OutputSpec;
import com.streamloom.spec.StreamSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Estimated share of a node of a stream or composition: its load ({@link #streamCost}) and its HLS memory
 * ({@link #streamHlsBytes}). Estimated load of a stream or composition in the unit of a node's capacity: pixels per second times the relative
 * cost of the work done per pixel. A stream's picture is unknown until it runs, so the configured
 * assumption (1280x720 at 30 fps) stands in; {@code encoding.maxFps} lowers the rate it pays for.
 */
@ApplicationScoped
public class CostModel {
    /** Per input a compositor decodes and scales the picture: about half the work of a full transcode. */
    static final double COMPOSITION_INPUT_COST = 0.5;
    /** MPEG-TS packetisation (188-byte packets, PES headers, PAT/PMT per segment) over the elementary streams. */
    static final double TS_OVERHEAD = 1.1;
    /** Audio is copied at the publisher's bitrate, unknown before it runs; AAC from OBS defaults to 128 kbit/s. */
    static final int ASSUMED_AUDIO_KBPS = 128;

    private final double assumedPixels;
    private final int assumedFps;

    @Inject
    public CostModel(ControlConfig config) {
        this(config.placement().assumedWidth(), config.placement().assumedHeight(), config.placement().assumedFps());
    }

    public CostModel(int width, int height, int fps) {
        this.assumedPixels = (double) width * height;
        this.assumedFps = fps;
    }

    public double streamCost(StreamSpec spec) {
        Integer maxFps = spec.encoding() == null ? null : spec.encoding().maxFps();
        int fps = maxFps == null || maxFps == 0 ? assumedFps : Math.min(maxFps, assumedFps);
        return assumedPixels * fps * spec.costFactor();
    }

    /** The HLS memory a stream holds on its node: its bitrate over the segments its window keeps. */
    public long streamHlsBytes(StreamSpec spec) {
        EncodingSpec e = spec.encoding() == null ? EncodingSpec.defaults() : spec.encoding();
        int kbps = e.bitrateKbps() == null ? EncodingSpec.defaults().bitrateKbps() : e.bitrateKbps();
        int audioKbps = "none".equals(e.audio()) ? 0 : ASSUMED_AUDIO_KBPS;
        return hlsWindowBytes(kbps + audioKbps, spec.output());
    }

    /** The same for a composition, encoded at its canvas's bitrate with AAC. */
    public long compositionHlsBytes(CompositionSpec spec) {
        return hlsWindowBytes(spec.canvas().outputKbps() + ASSUMED_AUDIO_KBPS, spec.output());
    }

    /**
     * A window keeps its listed segments and as many again that left the list (RFC 8216 6.2.2), plus one:
     * {@code 2 * windowSegments + 1} segments of {@code segmentSeconds} each.
     */
    static long hlsWindowBytes(int kbps, OutputSpec output) {
        OutputSpec o = output == null ? OutputSpec.defaults() : output;
        double seconds = o.segmentSeconds() == null ? OutputSpec.defaults().segmentSeconds() : o.segmentSeconds();
        int window = o.windowSegments() == null ? OutputSpec.defaults().windowSegments() : o.windowSegments();
        return Math.round(kbps * 1000 / 8.0 * TS_OVERHEAD * seconds * (2 * window + 1));
    }

    public double compositionCost(CompositionSpec spec) {
        CompositionSpec.Canvas c = spec.canvas();
        double canvasPixelsPerSecond = (double) c.width() * c.height() * c.fps();
        return canvasPixelsPerSecond * (1 + COMPOSITION_INPUT_COST * spec.inputs().size());
    }
}
