package com.streamloom.spec.subtitle;

/**
 * Cleans cue text before it is drawn: control characters, invisible format characters and unpaired surrogates have no
 * glyphs and would only draw missing-glyph boxes. Line breaks stay; the joiners and direction marks that scripts need
 * (Arabic, Indic, emoji sequences) stay.
 */
final class CueText {
    private CueText() {
    }

    /** Keeps line breaks ({@code \r\n} and {@code \r} become {@code \n}); tabs become spaces; other controls go. */
    static String keepLines(String text) {
        String unified = text.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder out = new StringBuilder(unified.length());
        for (int i = 0; i < unified.length(); ) {
            int cp = unified.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n') {
                out.append('\n');
            } else if (cp == '\t') {
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
