package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static com.streamloom.media.testing.FramesForTests.checkerboard;
import static com.streamloom.media.testing.FramesForTests.context;
import static com.streamloom.media.testing.FramesForTests.image;
import static com.streamloom.media.testing.FramesForTests.laplacianVariance;
import static com.streamloom.media.testing.FramesForTests.region;
import static com.streamloom.media.testing.FramesForTests.samePixels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Face blur on a real photograph: NASA's public-domain portrait of astronaut Eileen Collins, 512x512, as shipped by
 * Debian's python3-skimage.
 */
class FaceBlurTest {
    private static final Path ASTRONAUT = Path.of("/usr/lib/python3/dist-packages/skimage/data/astronaut.png");

    @BeforeAll
    static void photographIsInstalled() {
        if (!Files.isReadable(ASTRONAUT)) {
            fail("face blur needs the photograph " + ASTRONAUT + ": install it with `apt-get install python3-skimage`");
        }
    }

    @Test
    void blursTheFaceOfAPhotographAndLeavesTheRest() {
        try (FaceBlur stage = new FaceBlur(51, 3, 40, 0.25);
             VideoFrame original = image(ASTRONAUT);
             VideoFrame out = stage.apply(original.copy(), context(0))) {
            List<FaceBlur.Box> boxes = stage.boxes();
            assertThat(boxes).as("faces found").hasSize(1);
            FaceBlur.Box b = boxes.get(0);
            // The face is in the upper middle of the portrait.
            assertThat(b.x() + b.width() / 2).as("face centre x").isBetween(170, 300);
            assertThat(b.y() + b.height() / 2).as("face centre y").isBetween(60, 200);
            assertThat(b.width()).as("face box width").isBetween(80, 260);

            try (Mat faceBefore = region(original.y(), b.x(), b.y(), b.width(), b.height());
                 Mat faceAfter = region(out.y(), b.x(), b.y(), b.width(), b.height())) {
                double before = laplacianVariance(faceBefore);
                double after = laplacianVariance(faceAfter);
                assertThat(after).as("face detail %.1f -> %.1f", before, after).isLessThan(before / 10);
            }
            try (Mat faceU = region(out.u(), b.x() / 2, b.y() / 2, b.width() / 2, b.height() / 2);
                 Mat faceUBefore = region(original.u(), b.x() / 2, b.y() / 2, b.width() / 2, b.height() / 2)) {
                assertThat(samePixels(faceU, faceUBefore)).as("face chroma blurred too").isFalse();
            }
            // Everything below the box (the suit, the flag) is untouched, sample for sample.
            int below = b.y() + b.height();
            try (Mat restBefore = region(original.y(), 0, below, 512, 512 - below);
                 Mat restAfter = region(out.y(), 0, below, 512, 512 - below)) {
                assertThat(samePixels(restAfter, restBefore)).isTrue();
            }
        }
    }

    @Test
    void framesBetweenDetectionsReuseTheBoxes() {
        try (FaceBlur stage = new FaceBlur(51, 3, 40, 0.25); VideoFrame original = image(ASTRONAUT)) {
            FaceBlur.Box firstBox = null;
            // Frames 0 and 3 run detection; 1 and 2 reuse frame 0's box. Frame 3 finds the same face again, so the
            // box kept from the previous round is not added a second time.
            for (int i = 0; i < 4; i++) {
                try (VideoFrame out = stage.apply(original.copy(), context(i))) {
                    assertThat(stage.boxes()).hasSize(1);
                    FaceBlur.Box b = stage.boxes().get(0);
                    firstBox = firstBox == null ? b : firstBox;
                    assertThat(b).isEqualTo(firstBox);
                    try (Mat faceBefore = region(original.y(), b.x(), b.y(), b.width(), b.height());
                         Mat faceAfter = region(out.y(), b.x(), b.y(), b.width(), b.height())) {
                        assertThat(laplacianVariance(faceAfter)).isLessThan(laplacianVariance(faceBefore) / 10);
                    }
                }
            }
        }
    }

    @Test
    void aLargeFaceIsFoundOnAShrunkenCopyAndBlurredInProportion() {
        try (FaceBlur stage = new FaceBlur(51, 1, 40, 0.25); Scale enlarge = new Scale(1280, 1280)) {
            try (VideoFrame big = enlarge.apply(image(ASTRONAUT), context(0));
                 VideoFrame out = stage.apply(big, context(0))) {
                assertThat(stage.boxes()).hasSize(1);
                FaceBlur.Box b = stage.boxes().get(0);
                assertThat(b.x() + b.width() / 2).isBetween(425, 750);
                assertThat(b.y() + b.height() / 2).isBetween(150, 500);
                // A big face gets a kernel to match, so it is as unrecognisable as a small one. Seen from afar
                // (shrunk to a tenth), a face blurred with the fixed 51-pixel kernel keeps its features (eyes, mouth:
                // the detail falls only about 6 times); with the kernel in proportion to the face, it falls over 20.
                int x = b.x() / 10;
                int y = b.y() / 10;
                int w = b.width() / 10;
                int h = b.height() / 10;
                try (Scale shrink = new Scale(128, 128);
                     VideoFrame shrunk = shrink.apply(out.copy(), context(0));
                     VideoFrame reference = shrink.apply(enlarge.apply(image(ASTRONAUT), context(0)), context(0));
                     Mat faceBefore = region(reference.y(), x, y, w, h);
                     Mat faceAfter = region(shrunk.y(), x, y, w, h)) {
                    double before = laplacianVariance(faceBefore);
                    double after = laplacianVariance(faceAfter);
                    assertThat(after).as("face detail %.1f -> %.1f", before, after).isLessThan(before / 10);
                }
            }
        }
    }

    @Test
    void aPictureWithoutFacesIsLeftAlone() {
        try (FaceBlur stage = new FaceBlur(51, 1, 40, 0.25);
             VideoFrame frame = checkerboard(320, 240, 10, 30, 220); VideoFrame original = frame.copy()) {
            VideoFrame out = stage.apply(frame, context(0));

            assertThat(stage.boxes()).isEmpty();
            assertThat(samePixels(out.y(), original.y())).isTrue();
            assertThat(samePixels(out.u(), original.u())).isTrue();
        }
    }
}
