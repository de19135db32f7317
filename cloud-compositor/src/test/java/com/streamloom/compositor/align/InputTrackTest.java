package com.streamloom.compositor.align;

import com.streamloom.media.frame.VideoFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Alignment by timestamps with synthetic frames and explicit wall times (no sleeping). */
class InputTrackTest {
    static final long T0 = 1_000_000_000L; // an arbitrary wall time in microseconds
    static final long OUT = 33_333;       // 30 fps output interval

    private final List<InputTrack> tracks = new ArrayList<>();

    @AfterEach
    void closeTracks() {
        tracks.forEach(InputTrack::close);
    }

    private InputTrack track(int jitterMs, int holdMs, int capacity) {
        InputTrack t = new InputTrack("cam", new InputClock(), jitterMs, holdMs, capacity);
        tracks.add(t);
        return t;
    }

    private static VideoFrame frame(long pts) {
        return VideoFrame.allocate(16, 16, pts);
    }

    private static long ptsAt(InputTrack t, long now) {
        InputTrack.Picture p = t.pictureAt(now);
        return p.state() == InputTrack.State.PICTURE ? p.frame().ptsMicros() : -1;
    }

    @Test
    void showsTheNewestFrameDueAfterTheJitterDelay() {
        InputTrack t = track(100, 1000, 16);
        // Sender at 60 fps with timestamps starting at 5 s; frames arrive on time.
        for (int i = 0; i < 12; i++) {
            t.push(frame(5_000_000 + i * 16_667L), T0 + i * 16_667L);
        }
        assertThat(t.pictureAt(T0 + 50_000).state()).isEqualTo(InputTrack.State.NO_SIGNAL); // nothing due yet
        // At T0 + 100 ms + 40 ms, frames 0..2 are due (0, 16.7, 33.3 ms after the first): frame 2 is the newest.
        assertThat(ptsAt(t, T0 + 140_000)).isEqualTo(5_033_334);
        assertThat(ptsAt(t, T0 + 140_000 + OUT)).isEqualTo(5_066_668);
        InputTrack.Stats s = t.stats();
        assertThat(s.superseded()).isEqualTo(3); // 60 fps into 30 fps: every other frame is skipped
        assertThat(s.shown()).isEqualTo(2);
        assertThat(s.late()).isZero();
    }

    @Test
    void slowerInputRepeatsItsFrameOnTheFasterOutputClock() {
        InputTrack t = track(0, 1000, 16);
        for (int i = 0; i < 3; i++) {
            t.push(frame(i * 40_000L), T0 + i * 40_000L); // 25 fps
        }
        List<Long> shown = new ArrayList<>();
        for (long now = T0; now < T0 + 100_000; now += OUT) {
            shown.add(ptsAt(t, now));
        }
        assertThat(shown).containsExactly(0L, 0L, 40_000L, 80_000L);
    }

    @Test
    void dropsAndCountsFramesLaterThanTheJitterAllows() {
        InputTrack t = track(200, 1000, 16);
        t.push(frame(0), T0);
        t.push(frame(33_333), T0 + 33_333 + 150_000); // 150 ms late: within the 200 ms buffer
        t.push(frame(66_667), T0 + 66_667 + 260_000); // 260 ms late: dropped
        InputTrack.Stats s = t.stats();
        assertThat(s.received()).isEqualTo(3);
        assertThat(s.late()).isEqualTo(1);
        assertThat(s.buffered()).isEqualTo(2);
    }

    @Test
    void withoutJitterBufferASlightlyLateFrameIsStillShownButAStaleOneIsNot() {
        InputTrack t = track(0, 1000, 16);
        for (int i = 0; i < 10; i++) t.push(frame(i * 33_333L), T0 + i * 33_333L);
        t.push(frame(333_333), T0 + 333_333 + 10_000);  // 10 ms late: its slot is not over yet
        t.push(frame(366_667), T0 + 366_667 + 40_000);  // 40 ms late: the next frame would already be due
        assertThat(t.stats().late()).isEqualTo(1);
        assertThat(ptsAt(t, T0 + 345_000)).isEqualTo(333_333);
    }

    @Test
    void dropsFramesBehindThePictureAlreadyShown() {
        InputTrack t = track(50, 1000, 16);
        t.push(frame(100_000), T0);
        assertThat(ptsAt(t, T0 + 50_000)).isEqualTo(100_000);
        t.push(frame(60_000), T0 + 10_000); // out of order, older than the shown frame
        assertThat(t.stats().late()).isEqualTo(1);
        assertThat(ptsAt(t, T0 + 90_000)).isEqualTo(100_000);
    }

    @Test
    void overflowDropsTheOldestWaitingFrame() {
        InputTrack t = track(200, 1000, 3);
        for (int i = 0; i < 5; i++) {
            t.push(frame(i * 10_000L), T0 + i * 10_000L);
        }
        InputTrack.Stats s = t.stats();
        assertThat(s.overflow()).isEqualTo(2);
        assertThat(s.buffered()).isEqualTo(3);
        assertThat(ptsAt(t, T0 + 200_000 + 20_000)).isEqualTo(20_000);
    }

    @Test
    void stoppedInputHoldsItsLastFrameThenShowsNoSignalThenComesBack() {
        InputTrack t = track(0, 500, 16);
        for (int i = 0; i < 30; i++) {
            t.push(frame(i * 33_333L), T0 + i * 33_333L);
        }
        long last = T0 + 29 * 33_333L;
        assertThat(ptsAt(t, last)).isEqualTo(29 * 33_333L);
        t.end(); // the publisher left
        // Held: up to one frame interval plus 500 ms after the last frame was due.
        assertThat(ptsAt(t, last + 33_333 + 490_000)).isEqualTo(29 * 33_333L);
        assertThat(t.pictureAt(last + 33_333 + 510_000).state()).isEqualTo(InputTrack.State.NO_SIGNAL);
        // A new publisher whose timestamps restart at 0 comes back two seconds later.
        long back = last + 2_000_000;
        t.push(frame(0), back);
        t.push(frame(33_333), back + 33_333);
        assertThat(ptsAt(t, back + 40_000)).isEqualTo(33_333);
        assertThat(t.stats().late()).isZero();
    }

    @Test
    void clockReanchorsOnATimestampJumpWithoutEnd() {
        InputTrack t = track(0, 2000, 16);
        t.push(frame(10_000_000), T0);
        assertThat(ptsAt(t, T0)).isEqualTo(10_000_000);
        t.push(frame(0), T0 + 33_333); // timestamps jumped back ten seconds
        assertThat(ptsAt(t, T0 + 40_000)).isZero();
        assertThat(t.stats().clockResets()).isEqualTo(1);
    }

    @Test
    void clockSmoothsJitterAroundTheTrueOffset() {
        InputClock c = new InputClock();
        c.observe(0, T0);
        // Arrivals jitter by +-20 ms around a transit that is 30 ms larger than the first one's.
        for (int i = 1; i < 200; i++) {
            long jitter = (i % 2 == 0 ? 20_000 : -20_000);
            c.observe(i * 33_333L, T0 + 30_000 + i * 33_333L + jitter);
        }
        assertThat(c.toWall(0) - T0).isBetween(10_000L, 50_000L);
    }
}
