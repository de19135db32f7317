package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import org.junit.jupiter.api.Test;

import static com.streamloom.media.testing.FramesForTests.context;
import static com.streamloom.media.testing.FramesForTests.flat;
import static com.streamloom.media.testing.FramesForTests.luma;
import static com.streamloom.media.testing.FramesForTests.mark;
import static com.streamloom.media.testing.FramesForTests.sample;
import static org.assertj.core.api.Assertions.assertThat;

/** A 4x4 luma marker and a 2x2 chroma marker at (20, 10) of a 320x240 frame, followed through flips and turns. */
class FlipRotateTest {
    private static final int W = 320;
    private static final int H = 240;
    private static final int X = 20;
    private static final int Y = 10;

    private static VideoFrame marked() {
        VideoFrame f = flat(W, H, 16, 128, 128);
        mark(f.y(), X, Y, 4, 235);
        mark(f.u(), X / 2, Y / 2, 2, 240);
        return f;
    }

    /** Asserts the marker's luma square has its top-left corner at (x, y) and its chroma square at (x/2, y/2). */
    private static void assertMarkerAt(VideoFrame f, int x, int y) {
        for (int dy = 0; dy < 4; dy++) {
            for (int dx = 0; dx < 4; dx++) {
                assertThat(luma(f, x + dx, y + dy)).as("luma at %d,%d", x + dx, y + dy).isEqualTo(235);
            }
        }
        assertThat(luma(f, x - 1, y)).isEqualTo(16);
        assertThat(luma(f, x + 4, y + 3)).isEqualTo(16);
        assertThat(sample(f.u(), x / 2, y / 2)).isEqualTo(240);
        assertThat(sample(f.u(), x / 2 + 1, y / 2 + 1)).isEqualTo(240);
        assertThat(sample(f.u(), x / 2 + 2, y / 2)).isEqualTo(128);
    }

    @Test
    void markerIsWhereExpectedBeforeAnyChange() {
        try (VideoFrame f = marked()) {
            assertMarkerAt(f, X, Y);
        }
    }

    @Test
    void horizontalFlipMirrorsLeftAndRight() {
        try (Flip stage = new Flip(Flip.Direction.HORIZONTAL); VideoFrame out = stage.apply(marked(), context(0))) {
            assertMarkerAt(out, W - X - 4, Y);
        }
    }

    @Test
    void verticalFlipMirrorsTopAndBottom() {
        try (Flip stage = new Flip(Flip.Direction.VERTICAL); VideoFrame out = stage.apply(marked(), context(0))) {
            assertMarkerAt(out, X, H - Y - 4);
        }
    }

    @Test
    void flipBothWaysMirrorsBoth() {
        try (Flip stage = new Flip(Flip.Direction.of("both")); VideoFrame out = stage.apply(marked(), context(0))) {
            assertMarkerAt(out, W - X - 4, H - Y - 4);
        }
    }

    @Test
    void rotate90ClockwiseSwapsTheSizeAndTurnsTheMarker() {
        try (Rotate stage = new Rotate(90)) {
            VideoFrame input = marked();
            try (VideoFrame out = stage.apply(input, context(0))) {
                assertThat(input.isClosed()).isTrue();
                assertThat(out.width()).isEqualTo(H);
                assertThat(out.height()).isEqualTo(W);
                // Clockwise: (x, y) -> (H - 1 - y, x); the square's top-left comes from its bottom-left.
                assertMarkerAt(out, H - Y - 4, X);
            }
        }
    }

    @Test
    void rotate180TurnsInPlace() {
        try (Rotate stage = new Rotate(180); VideoFrame out = stage.apply(marked(), context(0))) {
            assertThat(out.width()).isEqualTo(W);
            assertMarkerAt(out, W - X - 4, H - Y - 4);
        }
    }

    @Test
    void rotate270IsCounterClockwise() {
        try (Rotate stage = new Rotate(270); VideoFrame out = stage.apply(marked(), context(0))) {
            assertThat(out.width()).isEqualTo(H);
            // Counter-clockwise: (x, y) -> (y, W - 1 - x).
            assertMarkerAt(out, Y, W - X - 4);
        }
    }
}
