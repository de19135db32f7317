package com.streamloom.media.ingest;

import com.streamloom.media.packet.SourceRetimer;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * Maps each pull session's timestamps onto one clock that never goes back: a session's first packet lands after
 * the last delivered packet plus the wall-clock time that passed in between (at least a millisecond), through the
 * shared {@link SourceRetimer}, and each track's dts strictly increases (a packet without one, or one that goes back,
 * is moved just after the track's last).
 */
final class SessionTimeline {
    private final SourceRetimer retimer = SourceRetimer.startingAt(0);
    private final long[] lastDts = {Long.MIN_VALUE, Long.MIN_VALUE};
    private long lastDeliveryNanos;

    /** Called when a new session starts; its first mapped packet anchors it. */
    void newSession() {
        retimer.newSource();
    }

    void delivered(long nowNanos) {
        lastDeliveryNanos = nowNanos;
    }

    /** Returns {pts, dts} in microseconds on the continuous clock; slot 0 is video, 1 audio. */
    long[] map(int slot, long pts, long dts) {
        if (dts == AV_NOPTS_VALUE) {
            dts = pts;
        }
        if (pts == AV_NOPTS_VALUE) {
            pts = dts;
        }
        if (!retimer.anchored()) {
            long gapMicros = Math.max(1000, (System.nanoTime() - lastDeliveryNanos) / 1000);
            retimer.anchor(dts == AV_NOPTS_VALUE ? 0 : dts, gapMicros);
            long base = retimer.toRunningClock(dts == AV_NOPTS_VALUE ? 0 : dts);
            lastDts[0] = base - 1;
            lastDts[1] = base - 1;
        }
        long outDts;
        long outPts;
        if (dts == AV_NOPTS_VALUE) {
            outDts = lastDts[slot] + 1;
            outPts = outDts;
        } else {
            outDts = retimer.toRunningClock(dts);
            outPts = retimer.toRunningClock(pts);
            if (outDts <= lastDts[slot]) {
                long shift = lastDts[slot] + 1 - outDts;
                outDts += shift;
                outPts += shift;
            }
        }
        lastDts[slot] = outDts;
        retimer.extendTo(outDts);
        return new long[] {outPts, outDts};
    }
}
