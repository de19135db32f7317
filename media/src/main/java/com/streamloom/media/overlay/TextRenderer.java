package com.streamloom.media.overlay;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.LineBreakMeasurer;
import java.awt.font.TextLayout;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.text.AttributedCharacterIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws text into an ARGB picture with Java2D: antialiased, any script (fonts from {@link FontPicker}, shaping and
 * bidi by {@link TextLayout}), wrapped to a width, with an optional outline (a dilation of the glyph coverage, see
 * {@link Outline}) and box. Called only when the text changes (about 1-2 ms of CPU for a line at 32 px); the
 * result is converted once into a {@link YuvaBitmap}.
 */
final class TextRenderer {
    static {
        Headless.ensure();
    }

    /** Antialiased with fractional metrics, as the glyphs are drawn into a transparent picture, not a screen. */
    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

    private TextRenderer() {
    }

    /**
     * Renders {@code text} (lines separated by {@code \n}) wrapped at {@code maxWidth} pixels (box included); lines
     * that would make the picture taller than {@code maxHeight} are left out. Returns null for text with nothing to
     * draw.
     */
    static BufferedImage render(String text, TextStyle style, int maxWidth, int maxHeight) {
        if (text == null || text.isBlank()) {
            return null;
        }
        int pad = padding(style);
        float wrapWidth = Math.max(style.fontSize(), maxWidth - 2 * pad);
        List<TextLayout> lines = new ArrayList<>();
        float height = 0;
        float widest = 0;
        layout:
        for (String paragraph : text.split("\n", -1)) {
            if (paragraph.isEmpty()) {
                paragraph = " "; // an empty line still takes a line's height
            }
            AttributedCharacterIterator chars =
                    FontPicker.attributed(paragraph, style.fontFamily(), style.fontSize()).getIterator();
            LineBreakMeasurer measurer = new LineBreakMeasurer(chars, FRC);
            while (measurer.getPosition() < chars.getEndIndex()) {
                TextLayout line = measurer.nextLayout(wrapWidth);
                float lineHeight = line.getAscent() + line.getDescent() + line.getLeading();
                if (!lines.isEmpty() && height + lineHeight + 2 * pad > maxHeight) {
                    break layout;
                }
                lines.add(line);
                height += lineHeight;
                widest = Math.max(widest, line.getAdvance());
            }
        }
        int w = (int) Math.ceil(widest) + 2 * pad;
        int h = (int) Math.ceil(height) + 2 * pad;
        BufferedImage glyphs = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = glyphs.createGraphics();
        try {
            // TextLayout.draw goes through Java2D's glyph cache rather than filling each glyph's outline as a
            // shape, which matters because a clock re-renders every second on the frame thread.
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            float baseline = pad;
            for (TextLayout line : lines) {
                baseline += line.getAscent();
                line.draw(g, pad + (style.centered() ? (widest - line.getAdvance()) / 2 : 0), baseline);
                baseline += line.getDescent() + line.getLeading();
            }
        } finally {
            g.dispose();
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        if (style.box()) {
            Graphics2D box = image.createGraphics();
            try {
                box.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                box.setColor(style.boxColor());
                box.fill(new RoundRectangle2D.Float(0, 0, w, h, pad, pad));
            } finally {
                box.dispose();
            }
        }
        int[] mask = alpha(glyphs);
        int[] canvas = image.getRGB(0, 0, w, h, null, 0, w);
        if (style.outlineWidth() > 0) {
            over(canvas, Outline.dilate(mask, w, h, style.outlineWidth()), TextStyle.OUTLINE);
        }
        over(canvas, mask, style.color());
        image.setRGB(0, 0, w, h, canvas, 0, w);
        return image;
    }

    private static int[] alpha(BufferedImage image) {
        int[] argb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (int i = 0; i < argb.length; i++) {
            argb[i] >>>= 24;
        }
        return argb;
    }

    /** Composites {@code color} with coverage {@code mask} (0..255) over non-premultiplied ARGB {@code canvas}. */
    private static void over(int[] canvas, int[] mask, Color color) {
        int cr = color.getRed();
        int cg = color.getGreen();
        int cb = color.getBlue();
        int ca = color.getAlpha();
        for (int i = 0; i < canvas.length; i++) {
            int sa = mask[i] * ca / 255;
            if (sa == 0) {
                continue;
            }
            int d = canvas[i];
            int da = d >>> 24;
            int keep = da * (255 - sa) / 255; // destination's share of the result
            int oa = sa + keep;
            int r = (cr * sa + ((d >> 16) & 0xFF) * keep) / oa;
            int gr = (cg * sa + ((d >> 8) & 0xFF) * keep) / oa;
            int b = (cb * sa + (d & 0xFF) * keep) / oa;
            canvas[i] = oa << 24 | r << 16 | gr << 8 | b;
        }
    }

    /** Room around the text for the outline and, with a box, a margin of a quarter of the font size. */
    private static int padding(TextStyle style) {
        return style.outlineWidth() + (style.box() ? Math.max(2, style.fontSize() / 4) : 1);
    }
}
