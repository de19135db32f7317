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
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;

/** Blurring lowers detail in luma and chroma and never writes into a frame shared with the decoder. */
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
    void aFrameSharedWithTheDecoderIsBlurredIntoANewFrameLeavingTheSharedPictureIntact() {
        try (GaussianBlur stage = new GaussianBlur(9, 0); VideoFrame decoderCopy = checkerboard(320, 240, 4, 0, 255)) {
            // A second reference to the same buffers, as a decoder hands out its reference pictures: not writable.
            var ref = av_frame_alloc();
            assertThat(av_frame_ref(ref, decoderCopy.avFrame())).isZero();
            VideoFrame shared = VideoFrame.adopt(ref, 1234);
            double before = laplacianVariance(decoderCopy.y());

            try (VideoFrame out = stage.apply(shared, context(0))) {
                assertThat(out).isNotSameAs(shared);
                assertThat(shared.isClosed()).isTrue();
                assertThat(out.ptsMicros()).isEqualTo(1234);
                assertThat(laplacianVariance(out.y())).isLessThan(before / 50);
                assertThat(laplacianVariance(decoderCopy.y())).isEqualTo(before);   // the decoder's picture untouched
            }
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
