package com.streamloom.media.overlay;

import com.streamloom.spec.subtitle.SubtitleParser;
import com.streamloom.spec.subtitle.SubtitleCue;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import org.junit.jupiter.api.Test;

import java.awt.Rectangle;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Subtitles "shown exactly within their cue times, by stream timestamp"; cue timing to the frame. */
class SubtitleOverlayTest {
    private static final int W = 640;
    private static final int H = 360;

    private static final String SRT = "1\n00:00:01,000 --> 00:00:02,000\nHello, subtitles\n";
    private static final String VTT = "WEBVTT\n\n00:01.000 --> 00:02.000 line:90%\nHello, subtitles\n";

    @Test
    void srtCueIsOnExactlyTheFramesWithinItsTimes() {
        assertShownOnFrames30To59(SubtitleParser.parseSrt(SRT));
    }

    @Test
    void vttCueIsOnExactlyTheFramesWithinItsTimes() {
        assertShownOnFrames30To59(SubtitleParser.parseVtt(VTT));
    }

    @Test
    void offsetShiftsTheCue() {
        // +500 ms: the cue shows from 1.5 s to 2.5 s, i.e. frames 45 to 74 at 30 fps.
        try (SubtitleOverlay overlay = new SubtitleOverlay(SubtitleParser.parseSrt(SRT), 500, 36, Anchor.Band.BOTTOM)) {
            assertThat(framesWithOverlay(overlay, 90)).containsExactlyElementsOf(range(45, 75));
        }
    }

    @Test
    void frameWithoutTimestampGetsNoSubtitle() {
        List<SubtitleCue> always = List.of(new SubtitleCue(Long.MIN_VALUE, Long.MAX_VALUE, "always"));
        try (SubtitleOverlay overlay = new SubtitleOverlay(always, 1000, 36, Anchor.Band.BOTTOM)) {
            assertThat(drawnArea(overlay, Long.MIN_VALUE)).isNull();
        }
        try (SubtitleOverlay overlay = new SubtitleOverlay(always, 0, 36, Anchor.Band.BOTTOM)) {
            assertThat(overlay.textAt(0)).isEqualTo("always"); // cue lengths that overflow a long still work
        }
    }

    @Test
    void bottomAndTopBandsAreCentred() {
        List<SubtitleCue> cues = SubtitleParser.parseSrt(SRT);
        Rectangle bottom = drawnArea(new SubtitleOverlay(cues, 0, 36, Anchor.Band.BOTTOM), 1_500_000);
        Rectangle top = drawnArea(new SubtitleOverlay(cues, 0, 36, Anchor.Band.TOP), 1_500_000);
        assertThat(bottom.y + bottom.height).isBetween(H - H / 20 - 2, H - H / 20);
        assertThat(top.y).isBetween(H / 20, H / 20 + 2);
        assertThat(Math.abs((bottom.x + bottom.width / 2) - W / 2)).isLessThanOrEqualTo(2);
    }

    @Test
    void overlappingCuesShowTogetherEarlierFirst() {
        List<SubtitleCue> cues = List.of(new SubtitleCue(0, 3_000_000, "first"),
                new SubtitleCue(1_000_000, 2_000_000, "second"), new SubtitleCue(2_500_000, 4_000_000, "third"));
        try (SubtitleOverlay overlay = new SubtitleOverlay(cues, 0, 36, Anchor.Band.BOTTOM)) {
            assertThat(overlay.textAt(500_000)).isEqualTo("first");
            assertThat(overlay.textAt(1_500_000)).isEqualTo("first\nsecond");
            assertThat(overlay.textAt(2_600_000)).isEqualTo("first\nthird");
            assertThat(overlay.textAt(3_000_000)).isEqualTo("third");
            assertThat(overlay.textAt(4_000_000)).isNull();
        }
    }

    private static void assertShownOnFrames30To59(List<SubtitleCue> cues) {
        try (SubtitleOverlay overlay = new SubtitleOverlay(cues, 0, 36, Anchor.Band.BOTTOM)) {
            // Frame i has pts i/30 s: frame 30 is the first at >= 1.000 s, frame 60 the first at >= 2.000 s.
            assertThat(framesWithOverlay(overlay, 75)).containsExactlyElementsOf(range(30, 60));
            assertThat(overlay.renderCount()).isEqualTo(1);
        }
    }

    /** Runs {@code count} 30 fps frames through the overlay and returns the indexes of those it drew on. */
    private static List<Integer> framesWithOverlay(SubtitleOverlay overlay, int count) {
        List<Integer> drawn = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long pts = i * 1_000_000L / 30;
            try (VideoFrame frame = Frames.solid(W, H, 40, 128, 128, pts); VideoFrame plain = frame.copy()) {
                VideoFrame out = overlay.apply(frame, new FrameContext("cam", Clock.systemUTC(), i, 30));
                assertThat(out).isSameAs(frame);
                Rectangle changed = Frames.changedLuma(frame, plain);
                if (changed != null) {
                    // The cue region: the lower part of the frame, never the upper half.
                    assertThat(changed.y).isGreaterThan(H / 2);
                    assertThat(Frames.brightLuma(frame, changed, 200)).isGreaterThan(100);
                    drawn.add(i);
                }
            }
        }
        return drawn;
    }

    private static Rectangle drawnArea(SubtitleOverlay overlay, long pts) {
        try (overlay; VideoFrame frame = Frames.solid(W, H, 40, 128, 128, pts); VideoFrame plain = frame.copy()) {
            overlay.apply(frame, new FrameContext("cam", Clock.systemUTC(), 0, 30));
            return Frames.changedLuma(frame, plain);
        }
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
