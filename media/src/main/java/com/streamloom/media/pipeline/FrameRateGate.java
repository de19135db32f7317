package com.streamloom.media.pipeline;

/**
 * The frame-rate gate of the decoding thread: {@code EncodingSpec.maxFps} keeps a frame only if it starts a new
 * 1/maxFps slot of the stream clock, and the input frame rate is measured from the timestamps of the frames kept.
 * Used by the decoding thread only; {@link #fps()} may be read by any thread.
 */
final class FrameRateGate {
    private static final long DEFAULT_FRAME_MICROS = 33_333;

    private final Integer maxFps;
    private long lastRateTick = Long.MIN_VALUE;
    private long lastFramePts = Long.MIN_VALUE;
    private double meanFrameIntervalMicros;
    private volatile double fps;

    /** @param maxFps the most frames per second to keep, or null (or 0) for all */
    FrameRateGate(Integer maxFps) {
        this.maxFps = maxFps;
    }

    /** Whether the frame at {@code pts} passes; a frame that passes is measured. */
    boolean admit(long pts) {
        if (rateLimited(pts)) {
            return false;
        }
        measure(pts);
        return true;
    }

    private boolean rateLimited(long pts) {
        if (maxFps == null || maxFps <= 0) {
            return false;
        }
        long tick = Math.floorDiv(pts * maxFps, 1_000_000L);
        if (lastRateTick != Long.MIN_VALUE && tick <= lastRateTick && tick > lastRateTick - maxFps) {
            return true;       // same slot as the previous kept frame (a jump back of over 1 s restarts slots)
        }
        lastRateTick = tick;
        return false;
    }

    private void measure(long pts) {
        if (lastFramePts != Long.MIN_VALUE) {
            long d = pts - lastFramePts;
            if (d > 0 && d < 1_000_000) {
                meanFrameIntervalMicros = meanFrameIntervalMicros == 0 ? d : meanFrameIntervalMicros * 0.9 + d * 0.1;
                fps = 1_000_000.0 / meanFrameIntervalMicros;
            }
        }
        lastFramePts = pts;
    }

    /** A new source: slots and measurement start over (the mean interval is kept as the best guess). */
    void newSource() {
        lastRateTick = Long.MIN_VALUE;
        lastFramePts = Long.MIN_VALUE;
    }

    /** Input frame rate measured from frame timestamps. */
    double fps() {
        return fps;
    }

    /** The mean frame interval, or 30 fps's before any was measured. */
    long frameIntervalMicros() {
        return meanFrameIntervalMicros > 0 ? (long) meanFrameIntervalMicros : DEFAULT_FRAME_MICROS;
    }
}
