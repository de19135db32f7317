package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import org.junit.jupiter.api.Test;

import static com.streamloom.media.testing.FramesForTests.checkerboard;
import static com.streamloom.media.testing.FramesForTests.context;
import static com.streamloom.media.testing.FramesForTests.region;
import static com.streamloom.media.testing.FramesForTests.samePixels;
import static org.assertj.core.api.Assertions.assertThat;

/** Cropping keeps exactly the requested rectangle, clipped to the frame on even coordinates. */
class CropTest {

    @Test
    void keepsExactlyTheRectangle() {
        try (Crop stage = new Crop(100, 50, 64, 32); VideoFrame original = checkerboard(320, 240, 6, 20, 230)) {
            try (VideoFrame out = stage.apply(original.copy(), context(0));
                 var expectedY = region(original.y(), 100, 50, 64, 32);
                 var expectedU = region(original.u(), 50, 25, 32, 16);
                 var expectedV = region(original.v(), 50, 25, 32, 16)) {
                assertThat(out.width()).isEqualTo(64);
                assertThat(out.height()).isEqualTo(32);
                assertThat(samePixels(out.y(), expectedY)).isTrue();
                assertThat(samePixels(out.u(), expectedU)).isTrue();
                assertThat(samePixels(out.v(), expectedV)).isTrue();
            }
        }
    }

    @Test
    void clipsToTheFrameAndAlignsToEvenCoordinates() {
        try (Crop stage = new Crop(301, 200, 640, 360); VideoFrame original = checkerboard(320, 240, 6, 20, 230)) {
            try (VideoFrame out = stage.apply(original.copy(), context(0));
                 var expectedY = region(original.y(), 300, 200, 20, 40)) {
                assertThat(out.width()).isEqualTo(20);
                assertThat(out.height()).isEqualTo(40);
                assertThat(samePixels(out.y(), expectedY)).isTrue();
            }
        }
    }

    @Test
    void aRectangleOutsideThePictureLeavesItWhole() {
        try (Crop stage = new Crop(400, 0, 64, 64); VideoFrame frame = checkerboard(320, 240, 6, 20, 230)) {
            assertThat(stage.apply(frame, context(0))).isSameAs(frame);
            assertThat(frame.isClosed()).isFalse();
        }
    }
}
