package com.streamloom.spec.subtitle;

/**
 * Cleans text that comes from people (cues, captions, overlay text) before it is drawn: control characters,
 * invisible format characters and unpaired surrogates have no glyphs and would only draw missing-glyph boxes. The
 * joiners and direction marks that scripts need (Arabic, Indic, emoji sequences) stay.
 */
public final class CueText {
    private CueText() {
    }

    /** Keeps line breaks ({@code \r\n} and {@code \r} become {@code \n}); tabs become spaces; other controls go. */
    public static String keepLines(String text) {
        return clean(text.replace("\r\n", "\n").replace('\r', '\n'), true);
    }

    /** One line: every line break and tab becomes a space, other controls go, surrounding space is trimmed. */
    public static String oneLine(String text) {
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

    private static boolean isBidiOrJoiner(int cp) {
        return cp == 0x200C || cp == 0x200D || cp == 0x200E || cp == 0x200F;
    }
}
