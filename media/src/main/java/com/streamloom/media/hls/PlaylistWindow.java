package com.streamloom.media.hls;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sliding window of a stream's playlist: the segments held (listed, or recently removed from the list), their
 * numbering, and the immutable {@link PlaylistSnapshot} and rendered LL-HLS playlist that readers see. Changed under
 * the packager's lock; read by HTTP threads without it (a concurrent map and volatile snapshots).
 *
 * <p>RFC 8216 6.2.2: a segment removed from the playlist stays available for its duration plus the playlist's;
 * another window's worth (plus one) covers that, then it is deleted. The node's {@link HlsMemoryBudget} may take the
 * oldest segments earlier ({@link #trimOldest}); the window then republishes without them.
 */
final class PlaylistWindow {
    private final int windowSegments;
    private final int targetDurationSeconds;
    private final long partTargetMicros;
    private final DiskMirror mirror;
    private final ArrayDeque<HlsSegment> retained = new ArrayDeque<>();
    private final Map<String, HlsSegment> segmentsByName = new ConcurrentHashMap<>();
    private long nextSequence;
    private long discontinuities;
    private volatile PlaylistSnapshot snapshot;
    private volatile String playlist;
    private volatile HlsMemoryBudget budget;
    /** Bytes of the retained segments. */
    private long heldBytes;
    /** The parts of the segment being written at the last publish, for a republish after a trim. */
    private List<HlsPart> pendingParts = List.of();
    private List<byte[]> pendingPartData = List.of();

    /**
     * @param targetDurationSeconds EXT-X-TARGETDURATION, fixed for the life of the playlist (RFC 8216 4.3.3.1)
     * @param discontinuitiesBefore the discontinuity sequence a previous packager of the stream reached (0 for none)
     * @param mirror                the disk copy, or null
     */
    PlaylistWindow(int windowSegments, int targetDurationSeconds, long partTargetMicros, long firstSequence,
                   long discontinuitiesBefore, DiskMirror mirror) {
        this.windowSegments = windowSegments;
        this.targetDurationSeconds = targetDurationSeconds;
        this.partTargetMicros = partTargetMicros;
        this.nextSequence = firstSequence;
        this.discontinuities = discontinuitiesBefore;
        this.mirror = mirror;
        this.snapshot = PlaylistSnapshot.empty(targetDurationSeconds, partTargetMicros);
    }

    long nextSequence() {
        return nextSequence;
    }

    /** Discontinuities published so far. */
    long discontinuities() {
        return discontinuities;
    }

    PlaylistSnapshot snapshot() {
        return snapshot;
    }

    String playlist() {
        return playlist;
    }

    HlsSegment segment(String name) {
        return segmentsByName.get(name);
    }

    /** Part {@code index} of segment {@code msn}, complete or pending, or null. */
    ByteBuffer part(long msn, int index) {
        if (index < 0) {
            return null;
        }
        PlaylistSnapshot current = snapshot;
        if (msn == current.nextSequence() && index < current.pendingPartData().size()) {
            return ByteBuffer.wrap(current.pendingPartData().get(index)).asReadOnlyBuffer();
        }
        HlsSegment segment = segmentsByName.get(HlsSegment.fileName(msn));
        if (segment == null || index >= segment.parts().size()) {
            return null;
        }
        HlsPart part = segment.parts().get(index);
        return ByteBuffer.wrap(segment.data(), part.offset(), part.length()).slice().asReadOnlyBuffer();
    }

    /** Charges this window's segments to the node's budget from now on; call before its first segment. */
    void chargeTo(HlsMemoryBudget nodeBudget) {
        budget = nodeBudget;
        nodeBudget.register(this);
    }

    /** Stops charging the budget (the stream's packager closed). */
    void release() {
        HlsMemoryBudget b = budget;
        if (b != null) {
            b.release(this);
        }
    }

    /**
     * Adds a finished segment (the next in sequence), drops what left the window, publishes, and charges the
     * budget, which may trim this or another window; returns the snapshot published last.
     */
    PlaylistSnapshot add(HlsSegment segment) {
        long before;
        long after;
        synchronized (this) {
            before = heldBytes;
            addLocked(segment);
            after = heldBytes;
        }
        HlsMemoryBudget b = budget;
        if (b != null) {
            b.charge(this, after - before);
        }
        return snapshot;
    }

    private void addLocked(HlsSegment segment) {
        nextSequence = segment.sequence() + 1;
        if (segment.discontinuity()) {
            discontinuities++;
        }
        retained.addLast(segment);
        segmentsByName.put(segment.name(), segment);
        heldBytes += segment.data().length;
        int keep = 2 * windowSegments + 1;
        while (retained.size() > keep) {
            removeOldest();
        }
        if (mirror != null) {
            mirror.write(segment);
        }
        PlaylistSnapshot published = publish(List.of(), List.of()); // the next segment has no parts yet
        if (mirror != null) {
            mirror.writePlaylist(published);
        }
    }

    private long removeOldest() {
        HlsSegment old = retained.removeFirst();
        segmentsByName.remove(old.name());
        heldBytes -= old.data().length;
        if (mirror != null) {
            mirror.delete(old);
        }
        return old.data().length;
    }

    synchronized long heldBytes() {
        return heldBytes;
    }

    /** Whether the window holds more than {@code liveEdge} segments, so its oldest may go. */
    synchronized boolean trimmable(int liveEdge) {
        return retained.size() > liveEdge;
    }

    /** Removes the oldest segment for the budget and republishes; returns the bytes it held. */
    synchronized long trimOldest() {
        long freed = removeOldest();
        PlaylistSnapshot published = publish(pendingParts, pendingPartData);
        if (mirror != null) {
            mirror.writePlaylist(published);
        }
        return freed;
    }

    /** Publishes the listed segments with the pending segment's parts (and copies of their bytes). */
    synchronized PlaylistSnapshot publish(List<HlsPart> pendingParts, List<byte[]> pendingPartData) {
        List<HlsSegment> listed = new ArrayList<>(windowSegments);
        Iterator<HlsSegment> newestFirst = retained.descendingIterator();
        while (newestFirst.hasNext() && listed.size() < windowSegments) {
            listed.add(0, newestFirst.next());
        }
        long mediaSequence = listed.isEmpty() ? nextSequence : listed.get(0).sequence();
        long discontinuitySequence = listed.isEmpty() ? discontinuities
                : listed.get(0).discontinuitySequence() - (listed.get(0).discontinuity() ? 1 : 0);
        PlaylistSnapshot next = new PlaylistSnapshot(targetDurationSeconds, mediaSequence, discontinuitySequence,
                listed, nextSequence, pendingParts, pendingPartData, partTargetMicros);
        snapshot = next;
        this.pendingParts = next.pendingParts();       // immutable copies, for a republish after a trim
        this.pendingPartData = next.pendingPartData();
        if (!listed.isEmpty()) {
            // Published before any waiter completes, so a blocked reload that then reads playlist() sees it.
            playlist = HlsPlaylistRenderer.renderLowLatency(next);
        }
        return next;
    }
}
