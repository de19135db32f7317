package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import org.junit.jupiter.api.Test;

import static com.streamloom.media.testing.FramesForTests.checkerboard;
import static com.streamloom.media.testing.FramesForTests.context;
import static com.streamloom.media.testing.FramesForTests.laplacianVariance;
import static com.streamloom.media.testing.FramesForTests.mean;
import static com.streamloom.media.testing.FramesForTests.noisy;
import static com.streamloom.media.testing.FramesForTests.region;
import static com.streamloom.media.testing.FramesForTests.stddev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GaussianBlurTest {

    @Test
    void lowersHighFrequencyEnergyOfACheckerboardByALargeFactor() {
        try (GaussianBlur stage = new GaussianBlur(9, 0); VideoFrame frame = checkerboard(320, 240, 4, 0, 255)) {
            double before = laplacianVariance(frame.y());
            double meanBefore = mean(frame.y());

            stage.apply(frame, context(0));

            assertThat(laplacianVariance(frame.y())).isLessThan(before / 50);
            assertThat(mean(frame.y())).isCloseTo(meanBefore, within(2.0));
        }
    }

    @Test
    void blursChromaToo() {
        try (GaussianBlur stage = new GaussianBlur(9, 0); VideoFrame frame = noisy(320, 240, 128, 20, 1)) {
            // Put the noise into chroma as well: copy the noisy luma's top-left quarter into U.
            try (var lumaQuarter = region(frame.y(), 0, 0, 160, 120)) {
                lumaQuarter.copyTo(frame.u());
            }
            double before = stddev(frame.u());

            stage.apply(frame, context(0));

            assertThat(stddev(frame.u())).isLessThan(before / 3);
        }
    }

    @Test
    void aKernelLargerThanThePictureStillWorks() {
        try (GaussianBlur stage = new GaussianBlur(99, 0); VideoFrame frame = checkerboard(32, 16, 2, 0, 255)) {
            stage.apply(frame, context(0));

            assertThat(laplacianVariance(frame.y())).isLessThan(10);
        }
    }
}
