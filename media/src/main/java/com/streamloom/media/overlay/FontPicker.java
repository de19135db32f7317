package com.streamloom.media.overlay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.font.TextAttribute;
import java.text.AttributedString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses real installed fonts that have the glyphs of a text, so any script renders instead of
 * "tofu" boxes.
 *
 * <p>Each code point gets the first font of a preference chain that can display it: the configured family, then
 * DejaVu Sans (Latin, Greek, Cyrillic, Arabic, Hebrew), then CJK fonts (Debian's fonts-wqy-zenhei, Noto CJK), then
 * every other installed font. A text that mixes scripts ("Live 直播 مباشر") is thus drawn in runs of different
 * fonts. Java's logical fonts (Dialog, SansSerif) are only a last resort: they are composites whose
 * {@code canDisplay} answers depend on the JDK's fontconfig mapping, not on a font we can name.
 */
final class FontPicker {
    static {
        Headless.ensure();
    }

    /** Preferred after the configured family, in this order; missing ones are skipped. */
    private static final List<String> PREFERRED = List.of("DejaVu Sans", "WenQuanYi Zen Hei", "Noto Sans CJK SC",
            "Noto Sans CJK JP", "Noto Sans", "Noto Sans Arabic", "Liberation Sans");
    private static final Set<String> LOGICAL = Set.of("Dialog", "DialogInput", "SansSerif", "Serif", "Monospaced");

    private static final Logger LOG = LoggerFactory.getLogger(FontPicker.class);
    private static volatile List<String> installed;
    private static final Map<String, List<Font>> CHAINS = new ConcurrentHashMap<>();

    private FontPicker() {
    }

    /** Installed physical font families, read once (fontconfig scans are slow). */
    static List<String> installedFamilies() {
        List<String> families = installed;
        if (families == null) {
            families = Arrays.stream(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames())
                    .filter(f -> !LOGICAL.contains(f))
                    .sorted()
                    .toList();
            installed = families;
        }
        return families;
    }

    /** The fonts tried for each code point, in order, at size 1 (derived to the wanted size when used). */
    static List<Font> chain(String preferredFamily) {
        return CHAINS.computeIfAbsent(preferredFamily == null ? "" : preferredFamily, family -> {
            List<String> all = installedFamilies();
            Set<String> order = new LinkedHashSet<>();
            if (!family.isBlank()) {
                if (all.contains(family) || LOGICAL.contains(family)) {
                    order.add(family);
                } else {
                    // Not an error: the spec may have been written for another node's fonts; the text still renders.
                    LOG.warn("font family '{}' is not installed; using installed fonts that have the glyphs", family);
                }
            }
            PREFERRED.stream().filter(all::contains).forEach(order::add);
            order.addAll(all);
            order.add(Font.SANS_SERIF);
            List<Font> fonts = new ArrayList<>();
            for (String f : order) {
                fonts.add(new Font(f, Font.PLAIN, 1));
            }
            return List.copyOf(fonts);
        });
    }

    /** The font (at {@code size}) used for one code point: the first in the chain that has its glyph. */
    static Font fontFor(int codePoint, String preferredFamily, int size) {
        List<Font> chain = chain(preferredFamily);
        for (Font f : chain) {
            if (f.canDisplay(codePoint)) {
                return f.deriveFont((float) size);
            }
        }
        return chain.get(0).deriveFont((float) size); // nothing has it: the first font's missing-glyph box
    }

    /**
     * The text with a font attribute on every run, ready for {@link java.awt.font.TextLayout} and
     * {@link java.awt.font.LineBreakMeasurer}. White space takes the font of the run it is in, so it does not split
     * runs.
     */
    static AttributedString attributed(String text, String preferredFamily, int size) {
        AttributedString styled = new AttributedString(text);
        if (text.isEmpty()) {
            return styled;
        }
        Font runFont = null;
        int runStart = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            Font f = Character.isWhitespace(cp) && runFont != null ? runFont : fontFor(cp, preferredFamily, size);
            if (runFont == null) {
                runFont = f;
            } else if (!f.equals(runFont)) {
                styled.addAttribute(TextAttribute.FONT, runFont, runStart, i);
                runFont = f;
                runStart = i;
            }
            i += Character.charCount(cp);
        }
        styled.addAttribute(TextAttribute.FONT, runFont, runStart, text.length());
        return styled;
    }
}
