package com.streamloom.compositor;

import com.streamloom.media.codec.KeyframePolicy;
import com.streamloom.media.codec.VideoEncoder;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.EncodingSpec;

/** How a composition's canvas is encoded (the spec has no encoding section: the canvas decides). */
public final class OutputEncoding {
    private OutputEncoding() {
    }

    /** libx264 veryfast at the canvas's {@link CompositionSpec.Canvas#outputKbps() output bitrate}. */
    public static EncodingSpec forCanvas(CompositionSpec.Canvas canvas) {
        return new EncodingSpec("veryfast", canvas.outputKbps(), 0, "aac");
    }

    /**
     * The composition's output encoder: {@link #forCanvas} with an IDR at every HLS segment boundary (libx264
     * zerolatency, no B-frames, a natural GOP of 4 s, see {@link VideoEncoder}). The caller owns it.
     */
    public static VideoEncoder encoderFor(CompositionSpec spec) {
        CompositionSpec.Canvas canvas = spec.canvas();
        return new VideoEncoder(forCanvas(canvas), KeyframePolicy.atSegmentBoundaries(segmentMicros(spec)),
                canvas.fps());
    }

    /** HLS segment duration of the composition's output, where the encoder puts its IDR frames. */
    public static long segmentMicros(CompositionSpec spec) {
        return Math.round(spec.output().segmentSeconds() * 1_000_000);
    }
}
