package com.streamloom.media.hls;

import java.util.List;

/**
 * An immutable view of a stream's playlist state, replaced (never mutated) on every change, so HTTP threads read it
 * without locks.
 *
 * @param targetDurationSeconds EXT-X-TARGETDURATION; fixed for the life of the playlist (RFC 8216 4.3.3.1)
 * @param mediaSequence         EXT-X-MEDIA-SEQUENCE, the sequence number of the first listed segment
 * @param discontinuitySequence EXT-X-DISCONTINUITY-SEQUENCE (RFC 8216 4.3.3.3)
 * @param segments              the listed segments (the sliding window), oldest first
 * @param nextSequence          the sequence number the segment being built will have
 * @param pendingParts          the parts of that segment finished so far (for LL-HLS EXT-X-PART)
 * @param pendingPartData       the bytes of each of those parts (copies, never modified; the same size as
 *                              pendingParts)
 * @param partTargetMicros      EXT-X-PART-INF PART-TARGET; no part is longer
 */
public record PlaylistSnapshot(int targetDurationSeconds, long mediaSequence, long discontinuitySequence,
                               List<HlsSegment> segments, long nextSequence, List<HlsPart> pendingParts,
                               List<byte[]> pendingPartData, long partTargetMicros) {
    public PlaylistSnapshot {
        segments = List.copyOf(segments);
        pendingParts = List.copyOf(pendingParts);
        pendingPartData = List.copyOf(pendingPartData);
        if (pendingPartData.size() != pendingParts.size()) {
            throw new IllegalArgumentException("one data array per pending part");
        }
        if (partTargetMicros <= 0) {
            throw new IllegalArgumentException("part target must be positive");
        }
    }

    static PlaylistSnapshot empty(int targetDurationSeconds, long partTargetMicros) {
        return new PlaylistSnapshot(targetDurationSeconds, 0, 0, List.of(), 0, List.of(), List.of(),
                partTargetMicros);
    }

    /** True if segment {@code msn} is complete, or when {@code part >= 0}, if that part of it is. */
    public boolean contains(long msn, int part) {
        if (msn < nextSequence) {
            return true;
        }
        return msn == nextSequence && part >= 0 && part < pendingParts.size();
    }
}
