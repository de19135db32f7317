package com.streamloom.media.thumbnail;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.testing.FramesForTests;
import com.streamloom.media.testing.SettableClock;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A thumbnail keeps at most one picture per interval, encodes each width of a picture once, and keeps the picture's aspect. */
class ThumbnailTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-03T12:00:00Z"));

    @Test
    void keepsAtMostOnePicturePerIntervalAndEncodesEachWidthOfItOnce() throws IOException {
        try (Thumbnail thumbnail = new Thumbnail(clock, 1000);
             VideoFrame dark = FramesForTests.flat(64, 48, 30, 128, 128);
             VideoFrame light = FramesForTests.flat(64, 48, 220, 128, 128)) {
            assertThat(thumbnail.jpeg(32)).as("no picture yet").isNull();
            thumbnail.offer(dark);
            byte[] first = thumbnail.jpeg(32);
            assertThat(thumbnail.jpeg(32)).isSameAs(first);
            assertThat(thumbnail.encodes()).isEqualTo(1);
            assertThat(luma(first)).isLessThan(60);

            // within the interval a newer picture is not kept: the cached JPEG stays
            clock.advance(Duration.ofMillis(999));
            thumbnail.offer(light);
            assertThat(thumbnail.jpeg(32)).isSameAs(first);
            assertThat(thumbnail.encodes()).isEqualTo(1);

            // an interval later it is, and the next request encodes it
            clock.advance(Duration.ofMillis(1));
            thumbnail.offer(light);
            byte[] second = thumbnail.jpeg(32);
            assertThat(thumbnail.encodes()).isEqualTo(2);
            assertThat(luma(second)).isGreaterThan(190);

            // another width of the same picture is one more encode, then cached too
            BufferedImage odd = ImageIO.read(new ByteArrayInputStream(thumbnail.jpeg(33)));
            thumbnail.jpeg(33);
            assertThat(thumbnail.encodes()).isEqualTo(3);
            assertThat(odd.getWidth()).isEqualTo(33);
            assertThat(odd.getHeight()).as("4:3, even").isEqualTo(24);
        }
    }

    @Test
    void theKeptPictureIsACopyAndCloseFreesIt() throws IOException {
        Thumbnail thumbnail = new Thumbnail(clock, 1000);
        try (VideoFrame picture = FramesForTests.flat(64, 36, 30, 128, 128)) {
            thumbnail.offer(picture);
            // the pipeline goes on writing into its own frame: the kept picture does not change
            FramesForTests.fill(picture.y(), 220);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumbnail.jpeg(320)));
            assertThat(image.getWidth()).isEqualTo(320);
            assertThat(image.getHeight()).as("16:9").isEqualTo(180);
            assertThat(luma(thumbnail.jpeg(320))).isLessThan(60);
            thumbnail.close();
            assertThat(thumbnail.jpeg(320)).isNull();
            clock.advance(Duration.ofSeconds(5));
            thumbnail.offer(picture);
            assertThat(thumbnail.jpeg(320)).as("nothing is kept after close").isNull();
        }
        assertThatThrownBy(() -> new Thumbnail(clock, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The grey level of the JPEG's centre pixel. */
    private static int luma(byte[] jpeg) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        int rgb = image.getRGB(image.getWidth() / 2, image.getHeight() / 2);
        return ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3;
    }
}
