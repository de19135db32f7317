package com.streamloom.media.overlay;

import com.streamloom.media.testing.SettableClock;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** "Any script renders, Chinese included"; "CJK glyph pixels present where the caption is". */
class CjkTextTest {
    private static final String HELLO_WORLD = "你好，世界";
    private static final String INSTALL = "no installed font has the glyphs of '%s'; install a CJK font "
            + "(Debian: apt-get install fonts-wqy-zenhei)";

    @Test
    void aRealFontWithTheGlyphsIsChosenForEachScript() {
        for (String text : List.of(HELLO_WORLD, "こんにちは", "안녕하세요", "Привет", "مرحبا", "Grüße")) {
            text.codePoints().forEach(cp -> {
                Font f = FontPicker.fontFor(cp, "", 32);
                if (!f.canDisplay(cp)) {
                    fail(INSTALL.formatted(text));
                }
                assertThat(f.getFamily()).as("a real font, not a logical composite")
                        .isNotIn("Dialog", "SansSerif", "Serif", "Monospaced", "DialogInput");
            });
        }
        Font cjk = FontPicker.fontFor(HELLO_WORLD.codePointAt(0), "", 32);
        assertThat(cjk.canDisplayUpTo(HELLO_WORLD)).as(INSTALL, HELLO_WORLD).isEqualTo(-1);
    }

    @Test
    void glyphsAreDistinctShapesNotMissingGlyphBoxes() {
        // A font without the glyphs draws the same box for every character; real glyphs differ from each other.
        TextStyle plain = new TextStyle(48, Color.WHITE, 0, false, Color.BLACK, "", false);
        List<boolean[]> inks = new ArrayList<>();
        for (String ch : List.of("你", "好", "世", "界")) {
            BufferedImage img = TextRenderer.render(ch, plain, 1000, 1000);
            inks.add(ink(img, 60, 60));
        }
        for (int a = 0; a < inks.size(); a++) {
            assertThat(count(inks.get(a))).as("ink pixels of glyph %d", a).isGreaterThan(200);
            for (int b = a + 1; b < inks.size(); b++) {
                assertThat(differing(inks.get(a), inks.get(b))).as(INSTALL, HELLO_WORLD).isGreaterThan(150);
            }
        }
        // The check above does catch tofu: drawn with a font that lacks them, two different characters come out
        // as (nearly) the same missing-glyph box.
        Font noCjk = new Font("DejaVu Sans Mono", Font.PLAIN, 48);
        assertThat(noCjk.canDisplay('你')).isFalse();
        assertThat(differing(ink(drawWith(noCjk, "你"), 60, 60), ink(drawWith(noCjk, "好"), 60, 60)))
                .isLessThan(150);
    }

    private static BufferedImage drawWith(Font font, String text) {
        BufferedImage img = new BufferedImage(60, 60, BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setFont(font);
        g.setColor(Color.WHITE);
        g.drawString(text, 2, 50);
        g.dispose();
        return img;
    }

    @Test
    void chineseCaptionPixelsArePresentWhereTheCaptionIs() {
        SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
        CaptionFeed feed = new CaptionFeed(clock);
        feed.post(HELLO_WORLD);
        try (CaptionOverlay overlay = new CaptionOverlay(feed, 40, Anchor.Band.BOTTOM, Duration.ofSeconds(4), 2);
             VideoFrame frame = Frames.solid(640, 360, 16, 128, 128, 0);
             VideoFrame plain = frame.copy()) {
            overlay.apply(frame, new FrameContext("cam", clock, 0, 30));
            Rectangle box = Frames.changedLuma(frame, plain);
            assertThat(box).as("caption drawn").isNotNull();
            assertThat(box.y).isGreaterThan(360 / 2);
            // Five glyphs at 40 px with many strokes: hundreds of white (Y >= 200) pixels inside the caption box.
            int bright = Frames.brightLuma(frame, box, 200);
            assertThat(bright).as(INSTALL, HELLO_WORLD).isGreaterThan(1000);
            // Each glyph cell has its own ink: split the box into five columns and find white in four of them
            // (the full-width comma is small).
            int cells = 0;
            int cellW = box.width / 5;
            for (int i = 0; i < 5; i++) {
                if (Frames.brightLuma(frame, new Rectangle(box.x + i * cellW, box.y, cellW, box.height), 200) > 40) {
                    cells++;
                }
            }
            assertThat(cells).isGreaterThanOrEqualTo(4);
        }
    }

    private static boolean[] ink(BufferedImage img, int w, int h) {
        boolean[] ink = new boolean[w * h];
        for (int y = 0; y < Math.min(h, img.getHeight()); y++) {
            for (int x = 0; x < Math.min(w, img.getWidth()); x++) {
                ink[y * w + x] = (img.getRGB(x, y) >>> 24) > 128;
            }
        }
        return ink;
    }

    private static int count(boolean[] a) {
        int n = 0;
        for (boolean b : a) {
            n += b ? 1 : 0;
        }
        return n;
    }

    private static int differing(boolean[] a, boolean[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += a[i] != b[i] ? 1 : 0;
        }
        return n;
    }
}
