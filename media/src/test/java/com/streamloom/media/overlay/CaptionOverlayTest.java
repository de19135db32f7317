package com.streamloom.media.overlay;

import com.streamloom.media.testing.SettableClock;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Live captions sent over HTTP "appear on the next encoded frame". */
class CaptionOverlayTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final CaptionFeed feed = new CaptionFeed(clock);
    private long frameIndex;

    @Test
    void postedCaptionIsOnTheNextFrameAndExpiresAfterItsDuration() {
        try (CaptionOverlay overlay = new CaptionOverlay(feed, 36, Anchor.Band.BOTTOM, Duration.ofMillis(4000), 2)) {
            assertThat(drawsOnNextFrame(overlay)).as("nothing posted yet").isFalse();
            feed.post("Breaking: captions work");
            assertThat(drawsOnNextFrame(overlay)).as("the very next frame").isTrue();
            clock.advance(Duration.ofMillis(3999));
            assertThat(drawsOnNextFrame(overlay)).as("just before expiry").isTrue();
            clock.advance(Duration.ofMillis(1));
            assertThat(drawsOnNextFrame(overlay)).as("at postedAt + duration").isFalse();
        }
    }

    @Test
    void olderLinesScrollAwayBeyondMaxLines() {
        try (CaptionOverlay overlay = new CaptionOverlay(feed, 36, Anchor.Band.BOTTOM, Duration.ofSeconds(10), 2)) {
            feed.post("one");
            clock.advance(Duration.ofMillis(10));
            feed.post("two");
            clock.advance(Duration.ofMillis(10));
            feed.post("three");
            try (VideoFrame f = Frames.solid(320, 240, 16, 128, 128, 0)) {
                assertThat(overlay.textFor(f, context())).isEqualTo("two\nthree");
            }
            clock.advance(Duration.ofMillis(9_990)); // now 10.010 s after "one": "two" (posted at 0.010 s) expires
            try (VideoFrame f = Frames.solid(320, 240, 16, 128, 128, 0)) {
                assertThat(overlay.textFor(f, context())).isEqualTo("three");
            }
        }
    }

    @Test
    void aWallClockSteppingBackDoesNotHideCurrentCaptions() {
        clock.advance(Duration.ofSeconds(10));
        feed.post("posted before the clock stepped back");
        clock.advance(Duration.ofSeconds(-10));
        feed.post("posted after");
        clock.advance(Duration.ofSeconds(5)); // the second expired (duration 4 s), the first has not
        assertThat(feed.recent(clock.instant(), Duration.ofSeconds(4), 2)).extracting(CaptionFeed.Caption::text)
                .containsExactly("posted before the clock stepped back");
    }

    @Test
    void captionsAreCleanedAndLimited() {
        assertThat(feed.post("  line\none\u0000\u001b[31m\tend  ").text()).isEqualTo("line one[31m end");
        assertThatThrownBy(() -> feed.post(" \n\t ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("caption text is empty");
        assertThatThrownBy(() -> feed.post("字".repeat(CaptionFeed.MAX_TEXT_CHARS + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the limit is 500");
        assertThat(feed.post("字".repeat(CaptionFeed.MAX_TEXT_CHARS)).text()).hasSize(CaptionFeed.MAX_TEXT_CHARS);
        // Unpaired surrogates and invisible format characters would draw boxes; joiners that scripts need stay.
        assertThat(feed.post("a\uD800b\uFEFFc\u200Dd").text()).isEqualTo("abc\u200Dd");
    }

    @Test
    void feedKeepsABoundedNumberOfLines() {
        for (int i = 0; i < 100; i++) {
            feed.post("line " + i);
        }
        List<CaptionFeed.Caption> kept = feed.recent(clock.instant().plusMillis(1), Duration.ofHours(1), 100);
        assertThat(kept).hasSize(CaptionFeed.MAX_KEPT);
        assertThat(kept.get(kept.size() - 1).text()).isEqualTo("line 99");
    }

    @Test
    void concurrentPostsWhileFramesAreProcessedLoseNothingRecent() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try (CaptionOverlay overlay = new CaptionOverlay(feed, 24, Anchor.Band.TOP, Duration.ofHours(1), 10)) {
            List<java.util.concurrent.Future<?>> posters = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                posters.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 500; i++) {
                        feed.post("t" + thread + " #" + i);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (int i = 0; i < 20; i++) { // the frame thread reads while the posters write
                drawsOnNextFrame(overlay);
            }
            for (var p : posters) {
                p.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<CaptionFeed.Caption> kept = feed.recent(clock.instant().plusMillis(1), Duration.ofHours(1), 10);
        assertThat(kept).hasSize(10);
        // The kept ones are the ten last posts, in order.
        assertThat(kept).extracting(CaptionFeed.Caption::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1991, 2000).boxed().toList());
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThatThrownBy(() -> new CaptionOverlay(null, 36, Anchor.Band.BOTTOM, Duration.ofSeconds(1), 2))
                .hasMessageContaining("CaptionFeed");
        assertThatThrownBy(() -> new CaptionOverlay(feed, 36, Anchor.Band.BOTTOM, Duration.ofSeconds(1), 11))
                .hasMessageContaining("maxLines");
    }

    private boolean drawsOnNextFrame(CaptionOverlay overlay) {
        try (VideoFrame f = Frames.solid(640, 360, 16, 128, 128, frameIndex * 33_333); VideoFrame plain = f.copy()) {
            overlay.apply(f, context());
            return Frames.changedLuma(f, plain) != null;
        }
    }

    private FrameContext context() {
        return new FrameContext("cam", clock, frameIndex++, 30);
    }
}
