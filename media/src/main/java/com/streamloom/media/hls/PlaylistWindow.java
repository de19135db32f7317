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
 * another window's worth (plus one) covers that, then it is deleted.
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

    /** Adds a finished segment (the next in sequence), drops what left the window, and publishes. */
    PlaylistSnapshot add(HlsSegment segment) {
        nextSequence = segment.sequence() + 1;
        if (segment.discontinuity()) {
            discontinuities++;
        }
        retained.addLast(segment);
        segmentsByName.put(segment.name(), segment);
        int keep = 2 * windowSegments + 1;
        while (retained.size() > keep) {
            HlsSegment old = retained.removeFirst();
            segmentsByName.remove(old.name());
            if (mirror != null) {
                mirror.delete(old);
            }
        }
        if (mirror != null) {
            mirror.write(segment);
        }
        PlaylistSnapshot published = publish(List.of(), List.of()); // the next segment has no parts yet
        if (mirror != null) {
            mirror.writePlaylist(published);
        }
        return published;
    }

    /** Publishes the listed segments with the pending segment's parts (and copies of their bytes). */
    PlaylistSnapshot publish(List<HlsPart> pendingParts, List<byte[]> pendingPartData) {
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
        if (!listed.isEmpty()) {
            // Published before any waiter completes, so a blocked reload that then reads playlist() sees it.
            playlist = HlsPlaylistRenderer.renderLowLatency(next);
        }
        return next;
    }
}
