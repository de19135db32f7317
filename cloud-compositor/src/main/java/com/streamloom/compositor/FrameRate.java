package com.streamloom.compositor;

/**
 * Frames per second over the last whole second, from the times frames were produced. Written by one thread (the
 * output thread), read by any (metrics, status): the reading is a volatile of the last complete second.
 */
final class FrameRate {
    private long bucketStartNanos = Long.MIN_VALUE;
    private int inBucket;
    private volatile double lastSecond;
    private volatile long lastFrameNanos;

    void record(long nowNanos) {
        if (bucketStartNanos == Long.MIN_VALUE || nowNanos - bucketStartNanos >= 2_000_000_000L) {
            // First frame, or a stall of a second or more: that second had (almost) no frames.
            lastSecond = bucketStartNanos == Long.MIN_VALUE ? 0 : inBucket;
            bucketStartNanos = nowNanos;
            inBucket = 0;
        } else if (nowNanos - bucketStartNanos >= 1_000_000_000L) {
            lastSecond = inBucket;
            bucketStartNanos += 1_000_000_000L;
            inBucket = 0;
        }
        inBucket++;
        lastFrameNanos = nowNanos;
    }

    /** Frames in the last complete second; 0 once no frame came for two seconds. */
    double fps(long nowNanos) {
        return nowNanos - lastFrameNanos > 2_000_000_000L ? 0 : lastSecond;
    }
}
