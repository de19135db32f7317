package com.streamloom.media.hls;

import com.streamloom.spec.OutputSpec;

import java.nio.file.Path;

/**
 * Packager settings.
 *
 * @param segmentMicros  target segment duration; a segment is cut at the first keyframe once it is reached
 * @param windowSegments segments listed in the playlist
 * @param partMicros     partial segment target (LL-HLS parts), e.g. 333 ms
 * @param directory      if not null, segments and playlist are also written there (one directory per stream) for
 *                       an external web server; memory stays what MediaHttpServer reads. The writes happen on the
 *                       source's thread, so use a local disk (or tmpfs)
 */
public record HlsSettings(long segmentMicros, int windowSegments, long partMicros, Path directory) {
    public static final long DEFAULT_PART_MICROS = 333_333;

    public HlsSettings {
        if (segmentMicros < 1_000_000 || segmentMicros > 10_000_000) {
            throw new IllegalArgumentException("segment duration must be 1 to 10 s, not " + segmentMicros + " µs");
        }
        if (windowSegments < 1) {
            throw new IllegalArgumentException("window must hold at least one segment");
        }
        if (partMicros <= 0 || partMicros > segmentMicros) {
            throw new IllegalArgumentException("part duration must be positive and at most the segment duration");
        }
    }

    /** Settings from a stream's output spec (already validated by {@code StreamSpec}); null fields take defaults. */
    public static HlsSettings from(OutputSpec output) {
        OutputSpec defaults = OutputSpec.defaults();
        double seconds = output.segmentSeconds() != null ? output.segmentSeconds() : defaults.segmentSeconds();
        int window = output.windowSegments() != null ? output.windowSegments() : defaults.windowSegments();
        return new HlsSettings(Math.round(seconds * 1_000_000), window, DEFAULT_PART_MICROS, null);
    }

    public HlsSettings withDirectory(Path newDirectory) {
        return new HlsSettings(segmentMicros, windowSegments, partMicros, newDirectory);
    }
}
