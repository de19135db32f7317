package com.streamloom.compositor.render;

/**
 * A colour as 8-bit limited-range BT.601 Y'CbCr, the encoding of the canvas (H.264 at SD/HD sizes from our
 * encoder is tagged BT.601 by default; the small difference to BT.709 does not matter for flat colours).
 */
public record YuvColor(int y, int u, int v) {
    public static final YuvColor BLACK = rgb(0, 0, 0);
    public static final YuvColor WHITE = rgb(255, 255, 255);
    /** The "no signal" slate background. */
    public static final YuvColor SLATE_GREY = rgb(96, 96, 96);

    /** Parses {@code #RRGGBB} (the spec's colour format, already validated there). */
    public static YuvColor parse(String hex) {
        if (hex == null || !hex.matches("#[0-9A-Fa-f]{6}")) {
            throw new IllegalArgumentException("colour must be #RRGGBB, got " + hex);
        }
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return rgb((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
    }

    public static YuvColor rgb(int r, int g, int b) {
        // ITU-R BT.601, studio swing: Y 16..235, Cb/Cr 16..240.
        int y = (int) Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
        int u = (int) Math.round(128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255);
        int v = (int) Math.round(128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255);
        return new YuvColor(clamp(y), clamp(u), clamp(v));
    }

    static int clamp(int c) {
        return Math.max(0, Math.min(255, c));
    }
}
