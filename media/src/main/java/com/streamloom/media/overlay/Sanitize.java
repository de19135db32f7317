package com.streamloom.media.overlay;

/**
 * Cleans text that comes from users before it is drawn: control characters, invisible format characters and unpaired
 * surrogates have no glyphs and would only draw missing-glyph boxes.
 */
final class Sanitize {
    private Sanitize() {
    }

    /** Keeps line breaks ({@code \n}; {@code \r\n} and {@code \r} become {@code \n}), tabs become spaces, other controls go. */
    static String keepLines(String text) {
        return clean(text.replace("\r\n", "\n").replace('\r', '\n'), true);
    }

    /** One line: every line break and tab becomes a space, other controls go, surrounding space is trimmed. */
    static String oneLine(String text) {
        return clean(text, false).strip();
    }

    private static String clean(String text, boolean keepNewlines) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n' && keepNewlines) {
                out.append('\n');
            } else if (cp == '\t' || cp == '\n' || cp == '\r') {
                out.append(' ');
            } else if (isBidiOrJoiner(cp) || !Character.isISOControl(cp)
                    && Character.getType(cp) != Character.FORMAT && Character.getType(cp) != Character.SURROGATE) {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /** Format characters that scripts need (Arabic, Indic, emoji sequences) are kept; others (e.g. U+FEFF) dropped. */
    private static boolean isBidiOrJoiner(int cp) {
        return cp == 0x200C || cp == 0x200D || cp == 0x200E || cp == 0x200F;
    }
}
