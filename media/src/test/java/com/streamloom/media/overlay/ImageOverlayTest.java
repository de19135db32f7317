package com.streamloom.media.overlay;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An image overlay blends as its opacity says, and every unusable source is a clear error. */
class ImageOverlayTest {
    private static final FrameContext CONTEXT = new FrameContext("cam", Clock.systemUTC(), 0, 30);
    /** Grey frame: luma 100, neutral chroma. */
    private static final int BG_Y = 100;

    @TempDir
    Path dir;

    @Test
    void halfTransparentRedSquareBlendsToExpectedYuv() throws IOException {
        Path png = writePng(square(40, 40, 0x80FF0000), "red.png");
        try (VideoFrame frame = Frames.solid(640, 360, BG_Y, 128, 128, 0);
             VideoFrame plain = frame.copy();
             ImageOverlay overlay = ImageOverlay.fromSource(assets(), "red.png", 0, 1.0, Anchor.at(100, 50))) {
            overlay.apply(frame, CONTEXT);

            // Red in BT.601 limited range is Y 81.5, Cb 90.2, Cr 240.0; alpha 128/255 mixes it with the background.
            double a = 128 / 255.0;
            assertThat(Frames.sample(frame, 0, 120, 70)).isCloseTo((int) Math.round(81.5 * a + BG_Y * (1 - a)),
                    org.assertj.core.data.Offset.offset(2));
            assertThat(Frames.sample(frame, 1, 60, 35)).isCloseTo((int) Math.round(90.2 * a + 128 * (1 - a)),
                    org.assertj.core.data.Offset.offset(2));
            assertThat(Frames.sample(frame, 2, 60, 35)).isCloseTo((int) Math.round(240.0 * a + 128 * (1 - a)),
                    org.assertj.core.data.Offset.offset(2));
            // Exactly the square's rectangle changed, nothing else.
            assertThat(Frames.changedLuma(frame, plain)).isEqualTo(new Rectangle(100, 50, 40, 40));
            assertThat(Frames.differingSamples(frame, plain, 1)).isEqualTo(20 * 20);
            assertThat(Frames.differingSamples(frame, plain, 2)).isEqualTo(20 * 20);
        }
    }

    @Test
    void dataUriScaledToWidthWithOpacityAndNegativePosition() throws IOException {
        String uri = "data:image/png;base64," + Base64.getEncoder().encodeToString(pngBytes(square(20, 10, 0xFFFFFFFF)));
        try (VideoFrame frame = Frames.solid(640, 360, 16, 128, 128, 0);
             VideoFrame plain = frame.copy();
             ImageOverlay overlay = ImageOverlay.fromSource(ImageAssets.dataOnly(), uri, 80, 0.5,
                     Anchor.at(-16, -10))) {
            overlay.apply(frame, CONTEXT);

            // Scaled to 80x40, its right edge 16 px from the right, its bottom 10 px from the bottom.
            assertThat(Frames.changedLuma(frame, plain)).isEqualTo(new Rectangle(640 - 16 - 80, 360 - 10 - 40, 80, 40));
            // White (Y 235) at opacity 0.5 over black (Y 16).
            assertThat(Frames.sample(frame, 0, 580, 330)).isCloseTo((235 + 16) / 2, org.assertj.core.data.Offset.offset(2));
        }
    }

    @Test
    void zeroOpacityChangesNothing() throws IOException {
        try (VideoFrame frame = Frames.solid(320, 240, 50, 128, 128, 0);
             VideoFrame plain = frame.copy();
             ImageOverlay overlay = new ImageOverlay(square(30, 30, 0xFF00FF00), 0, 0.0, Anchor.at(0, 0))) {
            overlay.apply(frame, CONTEXT);
            assertThat(Frames.changedLuma(frame, plain)).isNull();
        }
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> ImageOverlay.fromSource(assets(), "nope.png", 0, 1, Anchor.at(0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an allowed asset");
    }

    @Test
    void fileThatIsNotAnImageIsAClearError() throws IOException {
        Path text = Files.writeString(dir.resolve("logo.png"), "this is not a png");
        assertThatThrownBy(() -> ImageOverlay.fromSource(assets(), "logo.png", 0, 1, Anchor.at(0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("logo.png").hasMessageContaining("not an image");
    }

    @Test
    void truncatedPngIsAClearError() throws IOException {
        byte[] png = pngBytes(square(64, 64, 0xFF123456));
        String uri = "data:image/png;base64," + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(png, 60));
        assertThatThrownBy(() -> ImageOverlay.fromSource(ImageAssets.dataOnly(), uri, 0, 1, Anchor.at(0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data: URI");
    }

    @Test
    void badBase64IsAClearError() {
        assertThatThrownBy(() -> ImageOverlay.fromSource(ImageAssets.dataOnly(), "data:image/png;base64,@@@@", 0, 1,
                Anchor.at(0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid base64");
    }

    @Test
    void nonBase64DataUriIsRefused() {
        assertThatThrownBy(() -> ImageOverlay.fromSource(ImageAssets.dataOnly(), "data:image/png,abc", 0, 1,
                Anchor.at(0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be base64");
    }

    @Test
    void hugeImageDimensionsAreRefusedBeforeDecoding() throws IOException {
        Path wide = writePng(new BufferedImage(ImageOverlay.MAX_SIDE + 1, 1, BufferedImage.TYPE_INT_ARGB), "wide.png");
        assertThatThrownBy(() -> ImageOverlay.fromSource(assets(), "wide.png", 0, 1, Anchor.at(0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("each side must be");
    }

    private ImageAssets assets() {
        return ImageAssets.of(dir, 16_000_000);
    }

    static BufferedImage square(int w, int h, int argb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, argb);
            }
        }
        return img;
    }

    private Path writePng(BufferedImage img, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, pngBytes(img));
        return p;
    }

    static byte[] pngBytes(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
