package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import org.junit.jupiter.api.Test;

import static com.streamloom.media.testing.FramesForTests.context;
import static com.streamloom.media.testing.FramesForTests.fill;
import static com.streamloom.media.testing.FramesForTests.flat;
import static com.streamloom.media.testing.FramesForTests.luma;
import static com.streamloom.media.testing.FramesForTests.mark;
import static com.streamloom.media.testing.FramesForTests.region;
import static com.streamloom.media.testing.FramesForTests.sample;
import static org.assertj.core.api.Assertions.assertThat;

/** Scaling gives the configured size with the content in place. */
class ScaleTest {

    /** 320x240: dark left half, light right half in luma; a blue-ish chroma square top left. */
    private static VideoFrame halves() {
        VideoFrame f = flat(320, 240, 40, 128, 128);
        try (var right = region(f.y(), 160, 0, 160, 240)) {
            fill(right, 200);
        }
        mark(f.u(), 0, 0, 40, 220);
        return f;
    }

    @Test
    void shrinksToTheConfiguredSizeKeepingTheContentInPlace() {
        try (Scale stage = new Scale(160, 120)) {
            VideoFrame input = halves();
            input.setPtsMicros(40_000);

            try (VideoFrame out = stage.apply(input, context(0))) {
                assertThat(input.isClosed()).isTrue();
                assertThat(out.width()).isEqualTo(160);
                assertThat(out.height()).isEqualTo(120);
                assertThat(out.ptsMicros()).isEqualTo(40_000);
                assertThat(luma(out, 10, 60)).isEqualTo(40);
                assertThat(luma(out, 150, 60)).isEqualTo(200);
                assertThat(sample(out.u(), 5, 5)).isEqualTo(220);   // the chroma square, now 20x20 at 0,0
                assertThat(sample(out.u(), 30, 30)).isEqualTo(128);
            }
        }
    }

    @Test
    void enlarges() {
        try (Scale stage = new Scale(640, 480); VideoFrame out = stage.apply(halves(), context(0))) {
            assertThat(out.width()).isEqualTo(640);
            assertThat(out.height()).isEqualTo(480);
            assertThat(luma(out, 100, 200)).isEqualTo(40);
            assertThat(luma(out, 500, 200)).isEqualTo(200);
            assertThat(sample(out.u(), 30, 30)).isEqualTo(220);   // the chroma square, now 80x80 at 0,0
        }
    }

    @Test
    void passesAFrameOfTheRightSizeThrough() {
        try (Scale stage = new Scale(320, 240); VideoFrame frame = halves()) {
            assertThat(stage.apply(frame, context(0))).isSameAs(frame);
        }
    }
}
