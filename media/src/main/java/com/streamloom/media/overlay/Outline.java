package com.streamloom.media.overlay;

/**
 * The outline around glyphs, made by growing their coverage mask outwards (a morphological dilation), as
 * FreeType-based renderers such as FFmpeg's drawtext do with a glyph stroker. Stroking the glyph shapes with
 * Java2D's {@code BasicStroke} looks the same but costs more than drawing the text itself; a dilation of a small
 * mask is a few integer comparisons per pixel and step.
 */
final class Outline {
    private Outline() {
    }

    /**
     * Returns {@code mask} (w x h coverage values 0..255) grown by {@code radius} pixels. Steps alternate between
     * a 3x3 cross and a 3x3 square, which grows an octagon: close to the round outline a stroke gives, in
     * O(w * h * radius).
     */
    static int[] dilate(int[] mask, int w, int h, int radius) {
        int[] current = mask.clone();
        int[] next = new int[mask.length];
        for (int step = 0; step < radius; step++) {
            boolean square = (step & 1) == 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    int m = current[i];
                    if (x > 0) m = Math.max(m, current[i - 1]);
                    if (x < w - 1) m = Math.max(m, current[i + 1]);
                    if (y > 0) m = Math.max(m, current[i - w]);
                    if (y < h - 1) m = Math.max(m, current[i + w]);
                    if (square) {
                        if (y > 0 && x > 0) m = Math.max(m, current[i - w - 1]);
                        if (y > 0 && x < w - 1) m = Math.max(m, current[i - w + 1]);
                        if (y < h - 1 && x > 0) m = Math.max(m, current[i + w - 1]);
                        if (y < h - 1 && x < w - 1) m = Math.max(m, current[i + w + 1]);
                    }
                    next[i] = m;
                }
            }
            int[] t = current;
            current = next;
            next = t;
        }
        return current;
    }
}
