package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Test;

import static com.streamloom.media.testing.FramesForTests.checkerboard;
import static com.streamloom.media.testing.FramesForTests.context;
import static com.streamloom.media.testing.FramesForTests.range;
import static com.streamloom.media.testing.FramesForTests.samePixels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;

/** Grayscale never writes into buffers it shares with the decoder. */
class GrayscaleTest {

    @Test
    void setsEveryChromaSampleTo128AndLeavesLumaUnchanged() {
        try (Grayscale stage = new Grayscale();
             VideoFrame frame = checkerboard(320, 240, 8, 30, 220);
             VideoFrame original = frame.copy()) {
            assertThat(range(frame.u())).containsExactly(16, 240); // the pattern really has colour

            VideoFrame out = stage.apply(frame, context(0));

            assertThat(out).isSameAs(frame);
            assertThat(range(out.u())).containsExactly(128, 128);
            assertThat(range(out.v())).containsExactly(128, 128);
            assertThat(samePixels(out.y(), original.y())).isTrue();
        }
    }

    @Test
    void leavesBuffersSharedWithTheDecoderUntouched() {
        try (Grayscale stage = new Grayscale(); VideoFrame frame = checkerboard(320, 240, 8, 30, 220)) {
            // A second reference to the same buffers, as a decoder keeps for its reference pictures.
            AVFrame decoderRef = av_frame_clone(frame.avFrame());
            try (VideoFrame decoderView = VideoFrame.adopt(decoderRef, 0)) {
                stage.apply(frame, context(0));

                assertThat(range(frame.u())).containsExactly(128, 128);
                assertThat(range(decoderView.u())).containsExactly(16, 240);
            }
        }
    }
}
