package com.streamloom.media.hls;

import java.time.Instant;
import java.util.List;

/**
 * A complete media segment: an MPEG-TS file that starts with PAT and PMT, held in memory; it starts with a
 * keyframe unless it was cut without one to stay within the target duration ({@link #independent()}).
 *
 * @param sequence              media sequence number; increases by one per segment for the life of the stream,
 *                              across publisher reconnects (RFC 8216 6.2.2 forbids reuse)
 * @param discontinuitySequence number of discontinuities at or before this segment (RFC 8216 4.3.3.3)
 * @param discontinuity         the timeline was broken just before this segment (EXT-X-DISCONTINUITY)
 * @param programDateTime       wall-clock time of the segment's first sample (EXT-X-PROGRAM-DATE-TIME)
 * @param durationMicros        media duration (EXTINF)
 * @param parts                 the partial segments it is made of, in order, covering all bytes
 * @param data                  the TS bytes; never modified after construction
 */
public record HlsSegment(long sequence, long discontinuitySequence, boolean discontinuity, Instant programDateTime,
                         long durationMicros, List<HlsPart> parts, byte[] data) {
    public HlsSegment {
        parts = List.copyOf(parts);
    }

    /** The file name the playlist lists and the HTTP server serves. */
    public String name() {
        return fileName(sequence);
    }

    static String fileName(long sequence) {
        return sequence + ".ts";
    }

    /** Starts with a keyframe, so a player can start decoding here (its first part is INDEPENDENT). */
    public boolean independent() {
        return !parts.isEmpty() && parts.get(0).independent();
    }

    public double durationSeconds() {
        return durationMicros / 1e6;
    }
}
