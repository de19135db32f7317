package com.streamloom.media.rtmp;

/**
 * Turns RTMP's 32-bit millisecond timestamps, which wrap after about 49.7 days, into a 64-bit timeline. Each new
 * timestamp is taken as the signed 32-bit difference from the previous one, so a wrap (0xFFFFFFF0 then 0x10) moves
 * forward by 0x20 ms and the small backward steps of interleaved audio and video stay small backward steps.
 */
public final class TimestampUnwrapper {
    private boolean started;
    private long last32;
    private long unwrapped;

    /** The 64-bit millisecond time of a 32-bit RTMP timestamp. */
    public long unwrap(long timestamp32) {
        long t = timestamp32 & 0xFFFFFFFFL;
        if (!started) {
            started = true;
            unwrapped = t;
        } else {
            unwrapped += (int) (t - last32);
        }
        last32 = t;
        return unwrapped;
    }
}
