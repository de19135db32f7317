package com.streamloom.media.overlay;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.LineBreakMeasurer;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.text.AttributedCharacterIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws text into an ARGB picture with Java2D: antialiased, any script (fonts from {@link FontPicker}, shaping and
 * bidi by {@link TextLayout}), wrapped to a width, with an optional outline and box. Called only when the text
 * changes; the result is converted once into a {@link YuvaBitmap}.
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
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            if (style.box()) {
                g.setColor(style.boxColor());
                float arc = pad;
                g.fill(new RoundRectangle2D.Float(0, 0, w, h, arc, arc));
            }
            BasicStroke outline = style.outlineWidth() > 0
                    ? new BasicStroke(2f * style.outlineWidth(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                    : null;
            float baseline = pad;
            for (TextLayout line : lines) {
                baseline += line.getAscent();
                float x = pad + (style.centered() ? (widest - line.getAdvance()) / 2 : 0);
                Shape glyphs = line.getOutline(AffineTransform.getTranslateInstance(x, baseline));
                if (outline != null) {
                    // The stroke straddles the glyph edge; filling the glyph afterwards keeps only the outer half.
                    g.setColor(TextStyle.OUTLINE);
                    g.setStroke(outline);
                    g.draw(glyphs);
                }
                g.setColor(style.color());
                g.fill(glyphs);
                baseline += line.getDescent() + line.getLeading();
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Room around the text for the outline and, with a box, a margin of a quarter of the font size. */
    private static int padding(TextStyle style) {
        return style.outlineWidth() + (style.box() ? Math.max(2, style.fontSize() / 4) : 1);
    }
}
