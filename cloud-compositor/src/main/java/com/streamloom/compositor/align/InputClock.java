package com.streamloom.compositor.align;

import java.time.Clock;
import java.time.Instant;

/**
 * Maps one input's own timestamps to the compositor's wall clock (each input has its own clock).
 *
 * <p>The mapping is an offset, {@code wall = pts + offset}, anchored on the first packet (its pts ↔ its arrival
 * time) and then smoothed with an exponential moving average of later observations, so a steady change of network
 * delay or a slightly fast or slow sender clock is followed, while single jittery arrivals move it only a little.
 * A jump larger than {@link #RESET_MICROS} is a new timeline (a publisher that restarted at pts 0, a timestamp
 * discontinuity) and re-anchors at once. Video and audio of one input share one clock, which keeps them in sync.
 *
 * <p>Thread-safe: fed from the input's decode thread, read by the output thread.
 */
public final class InputClock {
    /** A change of the transit time larger than this is a new timeline, not jitter. */
    public static final long RESET_MICROS = 1_000_000;
    /** Weight of a new observation; 1/16 settles within about half a second at 30 frames per second. */
    static final double SMOOTHING = 1.0 / 16;

    private boolean anchored;
    private double offsetMicros;
    private long resets;

    /** Current time of {@code clock} in microseconds. */
    public static long micros(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * Records that a packet or frame with {@code ptsMicros} arrived at {@code arrivalMicros}, and returns how late it
     * is against the mapping as it was before this observation (positive: later than expected). The first
     * observation, and one after a jump, re-anchor the clock and return 0.
     */
    public synchronized long observe(long ptsMicros, long arrivalMicros) {
        long transit = arrivalMicros - ptsMicros;
        if (!anchored || Math.abs(transit - offsetMicros) > RESET_MICROS) {
            if (anchored) resets++;
            anchored = true;
            offsetMicros = transit;
            return 0;
        }
        long lateness = Math.round(transit - offsetMicros);
        offsetMicros += (transit - offsetMicros) * SMOOTHING;
        return lateness;
    }

    /** Wall time (microseconds) at which a timestamp of this input is expected to arrive. */
    public synchronized long toWall(long ptsMicros) {
        if (!anchored) throw new IllegalStateException("clock not anchored yet");
        return ptsMicros + Math.round(offsetMicros);
    }

    public synchronized boolean isAnchored() {
        return anchored;
    }

    /** Forgets the mapping: the next observation anchors anew (the publisher went away). */
    public synchronized void reset() {
        anchored = false;
    }

    /** How often the timeline jumped and the clock re-anchored. */
    public synchronized long resets() {
        return resets;
    }
}
