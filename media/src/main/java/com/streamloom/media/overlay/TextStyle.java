package com.streamloom.media.overlay;

import java.awt.Color;

/**
 * How a text overlay looks.
 *
 * @param fontSize     pixel size of the font
 * @param color        text colour (alpha honoured)
 * @param outlineWidth width in pixels of the dark outline around each glyph; 0 for none
 * @param box          whether a box is drawn behind the text
 * @param boxColor     colour of that box, usually translucent
 * @param fontFamily   preferred font family; empty picks one that has the text's glyphs
 * @param centered     centre each line (subtitles) rather than align it left
 */
public record TextStyle(int fontSize, Color color, int outlineWidth, boolean box, Color boxColor, String fontFamily,
                        boolean centered) {

    /** The outline is always near-black: it exists to separate light text from a light picture. */
    static final Color OUTLINE = new Color(0, 0, 0, 230);

    public TextStyle {
        if (fontSize < 1 || fontSize > 1000) {
            throw new IllegalArgumentException("font size must be 1..1000, got " + fontSize);
        }
        if (outlineWidth < 0 || outlineWidth > 100) {
            throw new IllegalArgumentException("outline width must be 0..100, got " + outlineWidth);
        }
        fontFamily = fontFamily == null ? "" : fontFamily;
    }

    /** The look of subtitles and captions: white, outlined, on a translucent black box, centred. */
    static TextStyle caption(int fontSize) {
        return new TextStyle(fontSize, Color.WHITE, Math.max(1, fontSize / 18), true, new Color(0, 0, 0, 0x99), "",
                true);
    }

    /** Parses {@code #RRGGBB} or {@code #RRGGBBAA} (the stage catalog's colour format). */
    public static Color parseColor(String text) {
        if (text == null || !text.matches("#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})")) {
            throw new IllegalArgumentException("colour must be #RRGGBB or #RRGGBBAA, got " + text);
        }
        long v = Long.parseLong(text.substring(1), 16);
        if (text.length() == 7) {
            return new Color((int) v);
        }
        return new Color((int) (v >> 24) & 0xFF, (int) (v >> 16) & 0xFF, (int) (v >> 8) & 0xFF, (int) v & 0xFF);
    }
}
