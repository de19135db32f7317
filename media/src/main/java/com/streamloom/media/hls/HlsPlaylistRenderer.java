package com.streamloom.media.hls;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link PlaylistSnapshot} as a live media playlist (no EXT-X-ENDLIST: a stream whose publisher left may
 * come back and continue it): {@link #render} the plain RFC 8216 one, {@link #renderLowLatency} the same playlist
 * plus the LL-HLS tags of draft-pantos-hls-rfc8216bis.
 *
 * <p>The low-latency playlist is a superset: the same header, EXTINF segments and discontinuities, so a player that
 * ignores the LL tags (unknown tags must be ignored, RFC 8216 4.1) plays it as before. On top of it:
 * <ul>
 *   <li>EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=3 part targets (4.4.3.8: at least two, three
 *       recommended);</li>
 *   <li>EXT-X-PART-INF:PART-TARGET (4.4.3.7);</li>
 *   <li>EXT-X-PART lines (4.4.4.9) before the EXTINF of each segment that ends within three target durations of the
 *       live edge (older parts "SHOULD" be removed, 6.2.2), and after the last segment for the segment being
 *       written; part URIs are {@link #partName}, served by the HTTP layer;</li>
 *   <li>EXT-X-PRELOAD-HINT:TYPE=PART (4.4.5.3) for the next part of the segment being written.</li>
 * </ul>
 */
public final class HlsPlaylistRenderer {
    /** Parts are listed for segments that end less than this many target durations before the live edge. */
    static final int PART_WINDOW_TARGETS = 3;
    /** PART-HOLD-BACK in part targets. */
    static final int PART_HOLD_BACK_TARGETS = 3;

    private HlsPlaylistRenderer() {
    }

    /** The URI of part {@code index} of segment {@code sequence}, relative to the playlist. */
    public static String partName(long sequence, int index) {
        return sequence + "." + index + ".ts";
    }

    /** The plain RFC 8216 playlist (what is written to disk for an external web server). */
    public static String render(PlaylistSnapshot snapshot) {
        StringBuilder m3u8 = new StringBuilder(128 + 120 * snapshot.segments().size());
        header(m3u8, snapshot, 3);
        for (HlsSegment segment : snapshot.segments()) {
            segment(m3u8, segment);
        }
        return m3u8.toString();
    }

    /** The LL-HLS playlist: {@link #render}'s content plus parts, server control and the preload hint. */
    public static String renderLowLatency(PlaylistSnapshot snapshot) {
        StringBuilder m3u8 = new StringBuilder(256 + 400 * snapshot.segments().size());
        // Version 6: nothing here needs more (EXT-X-SKIP, which would need 9, is not used).
        header(m3u8, snapshot, 6);
        long partTarget = snapshot.partTargetMicros();
        m3u8.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=")
                .append(seconds(PART_HOLD_BACK_TARGETS * partTarget)).append('\n');
        m3u8.append("#EXT-X-PART-INF:PART-TARGET=").append(seconds(partTarget)).append('\n');
        List<HlsSegment> segments = snapshot.segments();
        // Which segments still list their parts: walk back from the live edge (the end of the pending parts).
        long fromEdge = snapshot.pendingParts().stream().mapToLong(HlsPart::durationMicros).sum();
        long window = PART_WINDOW_TARGETS * snapshot.targetDurationSeconds() * 1_000_000L;
        int firstWithParts = segments.size();
        while (firstWithParts > 0 && fromEdge < window) {
            firstWithParts--;
            fromEdge += segments.get(firstWithParts).durationMicros();
        }
        for (int i = 0; i < segments.size(); i++) {
            HlsSegment segment = segments.get(i);
            if (i >= firstWithParts) {
                if (segment.discontinuity()) {
                    // The discontinuity applies to the segment and so to its first part: put it before the parts.
                    m3u8.append("#EXT-X-DISCONTINUITY\n");
                }
                parts(m3u8, segment.sequence(), segment.parts());
                segment(m3u8, segment, false);
            } else {
                segment(m3u8, segment);
            }
        }
        long pending = snapshot.nextSequence();
        parts(m3u8, pending, snapshot.pendingParts());
        m3u8.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"")
                .append(partName(pending, snapshot.pendingParts().size())).append("\"\n");
        return m3u8.toString();
    }

    private static void header(StringBuilder m3u8, PlaylistSnapshot snapshot, int version) {
        m3u8.append("#EXTM3U\n");
        m3u8.append("#EXT-X-VERSION:").append(version).append('\n');
        m3u8.append("#EXT-X-TARGETDURATION:").append(snapshot.targetDurationSeconds()).append('\n');
        m3u8.append("#EXT-X-MEDIA-SEQUENCE:").append(snapshot.mediaSequence()).append('\n');
        m3u8.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(snapshot.discontinuitySequence()).append('\n');
        // RFC 8216 4.3.5.1: the tag applies to every listed segment, so it is left out while a segment that was cut
        // without a keyframe (to keep it within the target duration) is listed. Others start with PAT, PMT and a
        // keyframe carrying SPS/PPS.
        if (snapshot.segments().stream().allMatch(HlsSegment::independent)) {
            m3u8.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        }
    }

    private static void segment(StringBuilder m3u8, HlsSegment segment) {
        segment(m3u8, segment, segment.discontinuity());
    }

    private static void segment(StringBuilder m3u8, HlsSegment segment, boolean discontinuity) {
        if (discontinuity) {
            m3u8.append("#EXT-X-DISCONTINUITY\n");
        }
        m3u8.append("#EXT-X-PROGRAM-DATE-TIME:")
                .append(DateTimeFormatter.ISO_INSTANT.format(segment.programDateTime().truncatedTo(ChronoUnit.MILLIS)))
                .append('\n');
        m3u8.append(String.format(Locale.ROOT, "#EXTINF:%.3f,", segment.durationSeconds())).append('\n');
        m3u8.append(segment.name()).append('\n');
    }

    private static void parts(StringBuilder m3u8, long sequence, List<HlsPart> parts) {
        for (HlsPart part : parts) {
            m3u8.append("#EXT-X-PART:DURATION=").append(seconds(part.durationMicros()))
                    .append(",URI=\"").append(partName(sequence, part.index())).append('"');
            if (part.independent()) {
                m3u8.append(",INDEPENDENT=YES");
            }
            m3u8.append('\n');
        }
    }

    private static String seconds(long micros) {
        return String.format(Locale.ROOT, "%.5f", micros / 1e6);
    }
}
