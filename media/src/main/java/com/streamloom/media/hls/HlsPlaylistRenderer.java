package com.streamloom.media.hls;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Renders a {@link PlaylistSnapshot} as an RFC 8216 live media playlist (no EXT-X-ENDLIST: a stream whose
 * publisher left may come back and continue it).
 *
 * <p>LL-HLS seam: everything a low-latency playlist needs is already in the snapshot (the parts of every segment
 * and of the one being built), so adding it means appending, per segment, EXT-X-PART lines before each EXTINF and,
 * after the last segment, the pending segment's parts and an EXT-X-PRELOAD-HINT for the next one, plus the
 * EXT-X-SERVER-CONTROL and EXT-X-PART-INF header tags (draft-pantos-hls-rfc8216bis 4.4.3.7, 4.4.3.8, 4.4.4.9,
 * 4.4.5.3) — a second method here, not a new model.
 */
public final class HlsPlaylistRenderer {
    private HlsPlaylistRenderer() {
    }

    public static String render(PlaylistSnapshot snapshot) {
        StringBuilder m3u8 = new StringBuilder(128 + 120 * snapshot.segments().size());
        m3u8.append("#EXTM3U\n");
        m3u8.append("#EXT-X-VERSION:3\n");
        m3u8.append("#EXT-X-TARGETDURATION:").append(snapshot.targetDurationSeconds()).append('\n');
        m3u8.append("#EXT-X-MEDIA-SEQUENCE:").append(snapshot.mediaSequence()).append('\n');
        m3u8.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(snapshot.discontinuitySequence()).append('\n');
        // Every segment starts with PAT, PMT and a keyframe carrying SPS/PPS (RFC 8216 4.3.5.1).
        m3u8.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (HlsSegment segment : snapshot.segments()) {
            if (segment.discontinuity()) {
                m3u8.append("#EXT-X-DISCONTINUITY\n");
            }
            m3u8.append("#EXT-X-PROGRAM-DATE-TIME:")
                    .append(DateTimeFormatter.ISO_INSTANT.format(segment.programDateTime().truncatedTo(ChronoUnit.MILLIS)))
                    .append('\n');
            m3u8.append(String.format(Locale.ROOT, "#EXTINF:%.3f,", segment.durationSeconds())).append('\n');
            m3u8.append(segment.name()).append('\n');
        }
        return m3u8.toString();
    }
}
