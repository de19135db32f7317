package com.streamloom.media.packet;

/**
 * Places the timestamps of a sequence of sources (a publisher that reconnects, a camera that comes back, a pull that
 * opens a new connection) on one running clock that never goes back (ARCHITECTURE: "monotonic across publisher
 * reconnects, never a reset"): the first packet of each new source lands at the end of what the sources before it
 * covered, plus a gap the caller may give, and every later packet of that source keeps its distance from that first
 * one. The first source either keeps its own timestamps or is moved to a fixed origin.
 *
 * <p>The owner says where the running clock ends ({@link #extendTo}): a packet's time plus its duration, as the
 * owner knows it. Not thread-safe: one owner thread.
 */
public final class SourceRetimer {
    private static final long NONE = Long.MIN_VALUE;

    private final long originMicros;
    private long endMicros = NONE;
    private long offsetMicros;
    private boolean anchored;

    private SourceRetimer(long originMicros) {
        this.originMicros = originMicros;
    }

    /** The first source keeps its own timestamps; later ones continue after it. */
    public static SourceRetimer keepingFirstSource() {
        return new SourceRetimer(NONE);
    }

    /** The first source's first packet lands at {@code originMicros}; later ones continue after it. */
    public static SourceRetimer startingAt(long originMicros) {
        if (originMicros == NONE) {
            throw new IllegalArgumentException("origin out of range");
        }
        return new SourceRetimer(originMicros);
    }

    /** A new source begins: the next {@link #anchor} (or {@link #retime}) places it. */
    public void newSource() {
        anchored = false;
    }

    /** Whether the current source has been placed on the running clock. */
    public boolean anchored() {
        return anchored;
    }

    /**
     * Places the current source: its time {@code firstMicros} lands {@code gapMicros} after the end of the running
     * clock (or at the origin, for the first source).
     */
    public void anchor(long firstMicros, long gapMicros) {
        long target;
        if (endMicros != NONE) {
            target = endMicros + gapMicros;
        } else {
            target = originMicros == NONE ? firstMicros : originMicros;
        }
        offsetMicros = target - firstMicros;
        anchored = true;
    }

    /** A time of the current source on the running clock. */
    public long toRunningClock(long sourceMicros) {
        return sourceMicros + offsetMicros;
    }

    /** The distance added to the current source's times. */
    public long offsetMicros() {
        return offsetMicros;
    }

    /** The packet on the running clock; the first packet of a source that is not placed yet places it. */
    public MediaPacket retime(MediaPacket p) {
        if (!anchored) {
            anchor(p.dtsMicros(), 0);
        }
        return offsetMicros == 0 ? p : p.withTimes(p.ptsMicros() + offsetMicros, p.dtsMicros() + offsetMicros);
    }

    /** The running clock now reaches at least {@code micros} (a mapped packet's time plus its duration). */
    public void extendTo(long micros) {
        endMicros = Math.max(endMicros, micros);
    }

    /** Where the running clock ends, or {@link Long#MIN_VALUE} before anything was mapped. */
    public long endMicros() {
        return endMicros;
    }
}
