package com.streamloom.media.overlay;

import com.streamloom.media.frame.VideoFrame;
import org.junit.jupiter.api.Test;

import java.awt.Rectangle;

import static org.assertj.core.api.Assertions.assertThat;

/** Blending a bitmap onto a frame is exact, clipped at every edge and stays on the chroma grid. */
class YuvaBitmapTest {
    private static final YuvaBitmap OPAQUE_WHITE = YuvaBitmap.fromImage(ImageOverlayTest.square(30, 20, 0xFFFFFFFF));

    @Test
    void opaqueWhiteReplacesPixelsExactly() {
        try (VideoFrame f = Frames.solid(64, 48, 16, 128, 128, 0)) {
            OPAQUE_WHITE.blendOnto(f, 10, 10);
            assertThat(Frames.sample(f, 0, 10, 10)).isEqualTo(235);
            assertThat(Frames.sample(f, 1, 5, 5)).isEqualTo(128);
            assertThat(Frames.sample(f, 0, 9, 10)).isEqualTo(16);
        }
    }

    @Test
    void clipsAtTopLeftEdges() {
        try (VideoFrame f = Frames.solid(64, 48, 16, 128, 128, 0); VideoFrame plain = f.copy()) {
            OPAQUE_WHITE.blendOnto(f, -20, -12);
            assertThat(Frames.changedLuma(f, plain)).isEqualTo(new Rectangle(0, 0, 10, 8));
        }
    }

    @Test
    void clipsAtBottomRightEdges() {
        try (VideoFrame f = Frames.solid(64, 48, 16, 128, 128, 0); VideoFrame plain = f.copy()) {
            OPAQUE_WHITE.blendOnto(f, 50, 40);
            assertThat(Frames.changedLuma(f, plain)).isEqualTo(new Rectangle(50, 40, 14, 8));
        }
    }

    @Test
    void entirelyOutsideChangesNothing() {
        try (VideoFrame f = Frames.solid(64, 48, 16, 128, 128, 0); VideoFrame plain = f.copy()) {
            OPAQUE_WHITE.blendOnto(f, 64, 0);
            OPAQUE_WHITE.blendOnto(f, -30, 0);
            OPAQUE_WHITE.blendOnto(f, 0, 1000);
            assertThat(Frames.changedLuma(f, plain)).isNull();
        }
    }

    @Test
    void oddSizeAndPositionStayOnTheChromaGrid() {
        // 7x5 pixels at (11, 9): padded to 8x6 and placed at (10, 8) so each chroma sample covers whole 2x2 blocks.
        YuvaBitmap odd = YuvaBitmap.fromImage(ImageOverlayTest.square(7, 5, 0xFFFFFFFF));
        assertThat(odd.width()).isEqualTo(8);
        assertThat(odd.height()).isEqualTo(6);
        try (VideoFrame f = Frames.solid(64, 48, 16, 128, 128, 0); VideoFrame plain = f.copy()) {
            odd.blendOnto(f, 11, 9);
            assertThat(Frames.changedLuma(f, plain)).isEqualTo(new Rectangle(10, 8, 7, 5));
        }
    }

    @Test
    void chromaUsesTheAverageAlphaOfItsBlock() {
        // A 2x2 block with one opaque blue pixel and three transparent ones: chroma moves a quarter of the way.
        java.awt.image.BufferedImage img = ImageOverlayTest.square(2, 2, 0x00000000);
        img.setRGB(0, 0, 0xFF0000FF);
        try (VideoFrame f = Frames.solid(16, 16, 16, 128, 128, 0)) {
            YuvaBitmap.fromImage(img).blendOnto(f, 0, 0);
            double blueCb = 128 + 0.439216 * 255; // 240
            assertThat(Frames.sample(f, 1, 0, 0)).isCloseTo((int) Math.round(128 + (blueCb - 128) / 4),
                    org.assertj.core.data.Offset.offset(1));
            assertThat(Frames.sample(f, 0, 1, 1)).isEqualTo(16);
        }
    }
}
