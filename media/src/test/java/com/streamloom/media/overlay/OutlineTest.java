package com.streamloom.media.overlay;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

/** Outlined text has a dark rim, so it stays readable on any picture. */
class OutlineTest {

    @Test
    void dilationGrowsAnOctagon() {
        int[] mask = new int[9 * 9];
        mask[4 * 9 + 4] = 200;
        int[] grown = Outline.dilate(mask, 9, 9, 2);
        // A cross step then a square step: the 5x5 square around the centre without its four corners.
        int covered = 0;
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 9; x++) {
                int dx = Math.abs(x - 4);
                int dy = Math.abs(y - 4);
                boolean inside = dx <= 2 && dy <= 2 && dx + dy <= 3;
                assertThat(grown[y * 9 + x]).as("(%d,%d)", x, y).isEqualTo(inside ? 200 : 0);
                covered += inside ? 1 : 0;
            }
        }
        assertThat(covered).isEqualTo(21);
        assertThat(mask[0]).as("input untouched").isZero();
    }

    @Test
    void outlinedTextHasADarkRimAroundLightGlyphs() {
        String text = "Hello";
        assertThat(darkOpaquePixels(TextRenderer.render(text, style(0), 400, 100))).isZero();
        assertThat(darkOpaquePixels(TextRenderer.render(text, style(3), 400, 100))).isGreaterThan(300);
    }

    private static TextStyle style(int outline) {
        return new TextStyle(32, Color.WHITE, outline, false, Color.BLACK, "", false);
    }

    private static int darkOpaquePixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if ((p >>> 24) > 128 && ((p >> 8) & 0xFF) < 64) {
                    n++;
                }
            }
        }
        return n;
    }
}
