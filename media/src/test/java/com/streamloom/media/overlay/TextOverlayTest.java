package com.streamloom.media.overlay;

import com.streamloom.media.testing.SettableClock;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Rectangle;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** A text overlay draws exactly its filled-in template and redraws only when the text changes. */
class TextOverlayTest {
    private static final TextStyle STYLE = new TextStyle(24, Color.WHITE, 2, true, new Color(0, 0, 0, 0x99), "", false);
    private static final Instant NOON = Instant.parse("2026-03-04T12:34:56.700Z");

    @Test
    void placeholdersAreFilledIn() {
        SettableClock clock = new SettableClock(NOON);
        FrameContext ctx = new FrameContext("studio-1", clock, 7, 29.97);
        long pts = ((1 * 60 + 2) * 60 + 3) * 1_000_000L + 4_000; // 1 h 2 min 3.004 s
        assertThat(TextOverlay.expand("{stream} {date} {time} {fps} fps {pts} {other}", pts, ctx))
                .isEqualTo("studio-1 2026-03-04 12:34:56 30.0 fps 01:02:03.004 {other}");
    }

    @Test
    void timeUsesTheClocksZone() {
        FrameContext ctx = new FrameContext("s", new SettableClock(NOON).withZone(ZoneId.of("Asia/Tokyo")), 0, 25);
        assertThat(TextOverlay.expand("{date} {time}", 0, ctx)).isEqualTo("2026-03-04 21:34:56");
    }

    @Test
    void streamNameIsNotItselfExpanded() {
        FrameContext ctx = new FrameContext("{time}", new SettableClock(NOON), 0, 25);
        assertThat(TextOverlay.expand("{stream}", 0, ctx)).isEqualTo("{time}");
    }

    @Test
    void ptsFormatsLongAndNegativeTimestamps() {
        assertThat(TextOverlay.formatPts(0)).isEqualTo("00:00:00.000");
        assertThat(TextOverlay.formatPts(100L * 3_600_000_000L + 999)).isEqualTo("100:00:00.000");
        assertThat(TextOverlay.formatPts(-1_500_000)).isEqualTo("-00:00:01.500");
    }

    @Test
    void drawsExactlyWhatTheFilledInTextWouldDraw() {
        SettableClock clock = new SettableClock(NOON);
        FrameContext ctx = new FrameContext("cam7", clock, 0, 30);
        try (VideoFrame templated = Frames.solid(640, 360, 60, 128, 128, 2_000_000);
             VideoFrame literal = templated.copy();
             VideoFrame plain = templated.copy();
             TextOverlay withPlaceholders = new TextOverlay("{stream} {time} {pts}", STYLE, Anchor.at(16, 16));
             TextOverlay written = new TextOverlay("cam7 12:34:56 00:00:02.000", STYLE, Anchor.at(16, 16))) {
            withPlaceholders.apply(templated, ctx);
            written.apply(literal, ctx);
            assertThat(Frames.changedLuma(templated, plain)).isNotNull();
            for (int plane = 0; plane < 3; plane++) {
                assertThat(Frames.differingSamples(templated, literal, plane)).as("plane %d", plane).isZero();
            }
        }
    }

    @Test
    void rendersOnlyWhenTheTextChanges() {
        SettableClock clock = new SettableClock(NOON);
        try (TextOverlay overlay = new TextOverlay("{stream} {time}", STYLE, Anchor.at(16, 16))) {
            for (int i = 0; i < 30; i++) { // one second of 30 fps frames, 12:34:56.700 .. 12:34:57.667
                try (VideoFrame f = Frames.solid(320, 240, 60, 128, 128, i * 33_333L)) {
                    overlay.apply(f, new FrameContext("cam", clock, i, 30));
                }
                clock.advance(Duration.ofNanos(33_333_333));
            }
            assertThat(overlay.renderCount()).isEqualTo(2); // "...:56" and "...:57"
        }
    }

    @Test
    void negativePositionCountsFromTheRightAndBottom() {
        try (VideoFrame f = Frames.solid(640, 360, 60, 128, 128, 0);
             VideoFrame plain = f.copy();
             TextOverlay overlay = new TextOverlay("corner", STYLE, Anchor.at(-20, -30))) {
            overlay.apply(f, new FrameContext("cam", new SettableClock(NOON), 0, 30));
            Rectangle r = Frames.changedLuma(f, plain);
            // The box's right and bottom edges sit 20 and 30 pixels in (up to one pixel of even rounding).
            assertThat(640 - (r.x + r.width)).isBetween(20, 22);
            assertThat(360 - (r.y + r.height)).isBetween(30, 32);
        }
    }

    @Test
    void longTextWrapsInsideTheFrame() {
        try (VideoFrame f = Frames.solid(320, 240, 60, 128, 128, 0);
             VideoFrame plain = f.copy();
             TextOverlay overlay = new TextOverlay("a long line of text that cannot fit in three hundred pixels",
                     STYLE, Anchor.at(10, 10))) {
            overlay.apply(f, new FrameContext("cam", new SettableClock(NOON), 0, 30));
            Rectangle r = Frames.changedLuma(f, plain);
            assertThat(r.x + r.width).isLessThanOrEqualTo(320);
            assertThat(r.height).isGreaterThan(2 * 24); // more than one line
        }
    }

    @Test
    void controlCharactersInTheTemplateAreDropped() {
        FrameContext ctx = new FrameContext("s", new SettableClock(NOON), 0, 25);
        try (TextOverlay overlay = new TextOverlay("a\u0007b\tc\r\nd", STYLE, Anchor.at(0, 0));
             VideoFrame f = Frames.solid(64, 64, 16, 128, 128, 0)) {
            assertThat(overlay.textFor(f, ctx)).isEqualTo("ab c\nd");
        }
    }
}
