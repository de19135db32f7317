package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import org.junit.jupiter.api.Test;

import static com.streamloom.media.testing.FramesForTests.checkerboard;
import static com.streamloom.media.testing.FramesForTests.context;
import static com.streamloom.media.testing.FramesForTests.flat;
import static com.streamloom.media.testing.FramesForTests.mean;
import static com.streamloom.media.testing.FramesForTests.range;
import static com.streamloom.media.testing.FramesForTests.samePixels;
import static com.streamloom.media.testing.FramesForTests.stddev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Brightness and contrast shift and scale luma, saturating instead of wrapping. */
class BrightnessContrastTest {

    @Test
    void brightnessShiftsMeanLuma() {
        try (BrightnessContrast stage = new BrightnessContrast(30, 1); VideoFrame frame = flat(320, 240, 100, 90, 160)) {
            stage.apply(frame, context(0));

            assertThat(range(frame.y())).containsExactly(130, 130);
            assertThat(range(frame.u())).containsExactly(90, 90);
            assertThat(range(frame.v())).containsExactly(160, 160);
        }
    }

    @Test
    void contrastScalesAroundMidGrey() {
        try (BrightnessContrast stage = new BrightnessContrast(0, 2);
             VideoFrame frame = checkerboard(320, 240, 8, 100, 150)) {
            double meanBefore = mean(frame.y());
            double spreadBefore = stddev(frame.y());

            stage.apply(frame, context(0));

            // 2 * (100 - 128) + 128 = 72 and 2 * (150 - 128) + 128 = 172
            assertThat(range(frame.y())).containsExactly(72, 172);
            assertThat(stddev(frame.y())).isCloseTo(2 * spreadBefore, within(0.5));
            assertThat(mean(frame.y())).isCloseTo(2 * (meanBefore - 128) + 128, within(0.5));
        }
    }

    @Test
    void saturatesInsteadOfWrappingAround() {
        try (BrightnessContrast stage = new BrightnessContrast(60, 1.5);
             VideoFrame frame = checkerboard(320, 240, 8, 10, 240)) {
            stage.apply(frame, context(0));

            // dark: 1.5 * (10 - 128) + 128 + 60 = 11; light: 1.5 * (240 - 128) + 128 + 60 = 356, clipped to 255
            assertThat(range(frame.y())).containsExactly(11, 255);
        }
    }

    @Test
    void neutralSettingsChangeNothing() {
        try (BrightnessContrast stage = new BrightnessContrast(0, 1);
             VideoFrame frame = checkerboard(320, 240, 8, 10, 240); VideoFrame original = frame.copy()) {
            stage.apply(frame, context(0));

            assertThat(samePixels(frame.y(), original.y())).isTrue();
        }
    }
}
