package com.streamloom.media.pipeline;

/**
 * When each frame's packet arrived, by pts, from the decoding thread (which records) to the encoding thread (which
 * takes the time when the encoded packet with that pts comes out): a fixed ring of primitive pairs, so the per-frame
 * latency bookkeeping allocates nothing (a map of boxed longs made five objects per frame).
 *
 * <p>Entries are in decode order; {@link #take} also forgets every entry with a smaller pts (frames a stage or a
 * hand-off dropped, or from a previous source), so the live part stays as short as the pipeline is deep and the
 * scan is short. When the ring is full the oldest entry is overwritten.
 */
final class ArrivalTimes {
    private static final long FREE = Long.MIN_VALUE;
    private final long[] pts;
    private final long[] nanos;
    private int head;
    private int size;

    ArrivalTimes(int capacity) {
        pts = new long[capacity];
        nanos = new long[capacity];
    }

    synchronized void put(long framePts, long arrivalNanos) {
        if (size == pts.length) {
            head = (head + 1) % pts.length;
            size--;
        }
        int i = (head + size) % pts.length;
        pts[i] = framePts;
        nanos[i] = arrivalNanos;
        size++;
    }

    /** The arrival of the frame with this pts, or {@link Long#MIN_VALUE} if unknown; forgets it and older pts. */
    synchronized long take(long framePts) {
        long found = Long.MIN_VALUE;
        for (int k = 0; k < size; k++) {
            int i = (head + k) % pts.length;
            if (pts[i] == framePts && found == Long.MIN_VALUE) {
                found = nanos[i];
                pts[i] = FREE;
            } else if (pts[i] < framePts) {
                pts[i] = FREE;
            }
        }
        while (size > 0 && pts[head] == FREE) {
            head = (head + 1) % pts.length;
            size--;
        }
        return found;
    }

    synchronized int size() {
        return size;
    }
}
