package com.streamloom.media.filter;

import java.util.Locale;

/**
 * Temporal and spatial denoise (stage type {@code denoise}) with FFmpeg's {@code hqdn3d}: the best
 * quality-for-cost denoiser libavfilter has for live video, and temporal (it averages along each pixel's history),
 * which no single-frame OpenCV filter matches at this cost. The chroma and temporal strengths follow hqdn3d's own
 * defaults for the given luma strength.
 */
public final class Denoise extends FfmpegGraphStage {

    /** @param strength hqdn3d's luma spatial strength (its default is 4) */
    public Denoise(double strength) {
        super("denoise", graphFor(strength));
    }

    private static String graphFor(double strength) {
        if (!(strength >= 0) || Double.isInfinite(strength)) {
            throw new IllegalArgumentException("denoise strength must be >= 0, got " + strength);
        }
        return String.format(Locale.ROOT, "hqdn3d=luma_spatial=%.3f", strength);
    }
}
