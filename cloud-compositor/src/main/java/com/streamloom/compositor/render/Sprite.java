package com.streamloom.compositor.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * A small picture with alpha, pre-converted to I420 planes (luma and alpha at full resolution, chroma and chroma
 * alpha at half), to blend onto the canvas without any colour conversion per frame. Labels and the slate's text are
 * drawn with Java2D once, when they first appear, and cached by the renderer.
 */
final class Sprite {
    final int width;
    final int height;
    final byte[] y;
    final byte[] alpha;
    final byte[] u;
    final byte[] v;
    final byte[] chromaAlpha;

    private Sprite(int width, int height, byte[] y, byte[] alpha, byte[] u, byte[] v, byte[] chromaAlpha) {
        this.width = width;
        this.height = height;
        this.y = y;
        this.alpha = alpha;
        this.u = u;
        this.v = v;
        this.chromaAlpha = chromaAlpha;
    }

    /**
     * White text of {@code pixelHeight} (the line height), on a translucent dark box when {@code boxed} (labels,
     * readable on any picture) or on nothing (the slate's text on its grey).
     */
    static Sprite text(String text, int pixelHeight, boolean boxed) {
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, Math.max(6, pixelHeight * 3 / 4));
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        pg.dispose();
        int pad = boxed ? Math.max(2, pixelHeight / 6) : 0;
        int w = even(fm.stringWidth(text) + 2 * pad);
        int h = even(fm.getHeight() + 2 * pad);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            if (boxed) {
                g.setColor(new Color(0, 0, 0, 150));
                g.fillRect(0, 0, w, h);
            }
            g.setFont(font);
            g.setColor(Color.WHITE);
            g.drawString(text, pad, pad + fm.getAscent());
        } finally {
            g.dispose();
        }
        return fromArgb(img);
    }

    /** Converts an ARGB image of even size to I420 planes plus alpha. */
    static Sprite fromArgb(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        if ((w & 1) != 0 || (h & 1) != 0) throw new IllegalArgumentException("sprite size must be even");
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] y = new byte[w * h], a = new byte[w * h];
        int cw = w / 2, ch = h / 2;
        byte[] u = new byte[cw * ch], v = new byte[cw * ch], ca = new byte[cw * ch];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            YuvColor c = YuvColor.rgb((p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff);
            y[i] = (byte) c.y();
            a[i] = (byte) (p >>> 24);
        }
        for (int cy = 0; cy < ch; cy++) {
            for (int cx = 0; cx < cw; cx++) {
                // Chroma of the 2x2 block, weighted by alpha so transparent pixels do not tint it.
                int su = 0, sv = 0, sa = 0;
                for (int k = 0; k < 4; k++) {
                    int p = argb[(cy * 2 + (k >> 1)) * w + cx * 2 + (k & 1)];
                    int al = p >>> 24;
                    YuvColor c = YuvColor.rgb((p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff);
                    su += c.u() * al;
                    sv += c.v() * al;
                    sa += al;
                }
                int i = cy * cw + cx;
                u[i] = (byte) (sa == 0 ? 128 : su / sa);
                v[i] = (byte) (sa == 0 ? 128 : sv / sa);
                ca[i] = (byte) (sa / 4);
            }
        }
        return new Sprite(w, h, y, a, u, v, ca);
    }

    private static int even(int v) {
        return Math.max(2, (v + 1) & ~1);
    }
}
