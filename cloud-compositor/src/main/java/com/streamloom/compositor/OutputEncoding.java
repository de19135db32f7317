package com.streamloom.compositor;

import com.streamloom.media.codec.KeyframePolicy;
import com.streamloom.media.codec.VideoEncoder;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.EncodingSpec;

/** How a composition's canvas is encoded (the spec has no encoding section: the canvas decides). */
public final class OutputEncoding {
    private OutputEncoding() {
    }

    /**
     * libx264 veryfast at about 0.1 bit per pixel and frame, which keeps flat regions clean and labels readable:
     * 720p30 gets ~2.8 Mbit/s, 360p30 ~0.7 Mbit/s (300 kbit/s to 8 Mbit/s).
     */
    public static EncodingSpec forCanvas(CompositionSpec.Canvas canvas) {
        long bps = (long) canvas.width() * canvas.height() * canvas.fps() / 10;
        int kbps = (int) Math.max(300, Math.min(8000, bps / 1000));
        return new EncodingSpec("veryfast", kbps, 0, "aac");
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
