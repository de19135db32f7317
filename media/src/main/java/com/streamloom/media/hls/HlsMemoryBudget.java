package com.streamloom.media.hls;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the in-memory HLS windows of all outputs on a node may hold together ({@code media.hlsMemoryBytes}).
 *
 * <p>Each {@link PlaylistWindow} charges the segments it keeps (listed, and the RFC 8216 6.2.2 grace copies of those
 * that left the list). When a new segment takes the node over its budget, the window holding the most (so the one
 * furthest beyond its fair share, the budget divided by the outputs) loses its oldest segment, again until the node
 * is within its budget. A window never goes below {@link #LIVE_EDGE_SEGMENTS}, the live edge a player needs; when
 * every window is down to that, the node stays over its budget and counts it ({@link #overruns()}): placement, which
 * counts each stream's share, is what keeps that from happening.
 *
 * <p>Locking: a window never calls the budget while holding its own lock, and the budget takes a window's lock
 * only while holding its own, so the two cannot deadlock.
 */
public final class HlsMemoryBudget {
    /** RFC 8216 6.2.2: a playlist shorter than three target durations cannot be played from its live edge. */
    static final int LIVE_EDGE_SEGMENTS = 3;

    private final long limitBytes;
    private final List<PlaylistWindow> windows = new ArrayList<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong trimmedSegments = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();

    public HlsMemoryBudget(long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("an HLS memory budget must be positive, got " + limitBytes);
        }
        this.limitBytes = limitBytes;
    }

    /** No budget: for a packager that runs alone (tests, benchmarks, tools). */
    public static HlsMemoryBudget unlimited() {
        return new HlsMemoryBudget(Long.MAX_VALUE);
    }

    synchronized void register(PlaylistWindow window) {
        windows.add(window);
        bytes.addAndGet(window.heldBytes());
    }

    synchronized void release(PlaylistWindow window) {
        if (windows.remove(window)) {
            bytes.addAndGet(-window.heldBytes());
        }
    }

    /** A window's holding changed by {@code delta} bytes; trims the largest windows while the node is over. */
    synchronized void charge(PlaylistWindow window, long delta) {
        if (!windows.contains(window)) {
            return;                    // a window released meanwhile: its bytes are no longer counted
        }
        bytes.addAndGet(delta);
        while (bytes.get() > limitBytes) {
            PlaylistWindow largest = null;
            for (PlaylistWindow w : windows) {
                if (w.trimmable(LIVE_EDGE_SEGMENTS) && (largest == null || w.heldBytes() > largest.heldBytes())) {
                    largest = w;
                }
            }
            if (largest == null) {
                overruns.incrementAndGet();
                return;
            }
            bytes.addAndGet(-largest.trimOldest());
            trimmedSegments.incrementAndGet();
        }
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** Bytes the node's HLS windows hold now. */
    public long bytes() {
        return bytes.get();
    }

    /** Segments removed early to stay within the budget. */
    public long trimmedSegments() {
        return trimmedSegments.get();
    }

    /** Times a new segment left the node over its budget with every window at its live edge. */
    public long overruns() {
        return overruns.get();
    }
}
