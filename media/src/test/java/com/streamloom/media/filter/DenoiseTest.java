package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static com.streamloom.media.testing.FramesForTests.addNoise;
import static com.streamloom.media.testing.FramesForTests.context;
import static com.streamloom.media.testing.FramesForTests.flat;
import static com.streamloom.media.testing.FramesForTests.mean;
import static com.streamloom.media.testing.FramesForTests.stddev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Denoising lowers the noise of a noisy picture. */
class DenoiseTest {

    @Test
    void lowersTheNoiseOfANoisyFlatPicture() {
        Random random = new Random(7);
        try (Denoise stage = new Denoise(8)) {
            double inputNoise = 0;
            double outputNoise = 0;
            // Several frames with fresh noise: hqdn3d is temporal too, so later frames get cleaner.
            for (int i = 0; i < 6; i++) {
                VideoFrame input = flat(320, 240, 120, 128, 128);
                addNoise(input, 5, random);
                inputNoise = stddev(input.y());
                try (VideoFrame out = stage.apply(input, context(i))) {
                    assertThat(out).isNotNull();
                    outputNoise = stddev(out.y());
                    assertThat(mean(out.y())).isCloseTo(120, within(2.0));
                }
            }
            assertThat(inputNoise).isGreaterThan(4.5);
            // Noise variance falls to under a third.
            assertThat(outputNoise * outputNoise).as("noise sigma %.2f -> %.2f", inputNoise, outputNoise)
                    .isLessThan(inputNoise * inputNoise / 3);
        }
    }

    @Test
    void isTheHqdn3dGraph() {
        try (Denoise stage = new Denoise(4)) {
            assertThat(stage.name()).isEqualTo("denoise");
            assertThat(stage.description()).startsWith("hqdn3d=");
        }
    }
}
