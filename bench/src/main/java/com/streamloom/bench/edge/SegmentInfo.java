package com.streamloom.bench.edge;

import java.time.Instant;

/**
 * What the benchmark learns when a segment first appears in the playlist ({@link PublicationRecorder}); enough to
 * measure ingest-to-playlist latency per frame ({@code publishedAt - arrival}) without touching the packager's
 * internals.
 *
 * @param stream                the stream name
 * @param sequence              the segment's media sequence number
 * @param durationMicros        its media duration
 * @param discontinuity         whether EXT-X-DISCONTINUITY precedes it
 * @param publishedAt           when the playlist first listed it (the recorder's clock)
 * @param frameArrivalsMicros   arrival wall time (epoch microseconds, the packager's clock) of each video frame in it,
 *                              in decode order
 * @param framePartsPublishedMicros for each of those frames, when the LL-HLS part holding it was first published
 *                              (epoch microseconds): an LL-HLS player can fetch the frame from then on
 */
record SegmentInfo(String stream, long sequence, long durationMicros, boolean discontinuity,
                          Instant publishedAt, long[] frameArrivalsMicros, long[] framePartsPublishedMicros) {
    public SegmentInfo {
        if (framePartsPublishedMicros.length != frameArrivalsMicros.length) {
            throw new IllegalArgumentException("one part publication time per frame");
        }
    }

    /** A segment whose frames all became available with the segment (no parts published before it). */
    SegmentInfo(String stream, long sequence, long durationMicros, boolean discontinuity, Instant publishedAt,
                       long[] frameArrivalsMicros) {
        this(stream, sequence, durationMicros, discontinuity, publishedAt, frameArrivalsMicros,
                filled(frameArrivalsMicros.length, epochMicros(publishedAt)));
    }

    private static long[] filled(int length, long value) {
        long[] values = new long[length];
        java.util.Arrays.fill(values, value);
        return values;
    }

    public int videoFrames() {
        return frameArrivalsMicros.length;
    }

    public Instant firstFrameArrival() {
        return ofEpochMicros(frameArrivalsMicros[0]);
    }

    public Instant lastFrameArrival() {
        return ofEpochMicros(frameArrivalsMicros[frameArrivalsMicros.length - 1]);
    }

    static long epochMicros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    static Instant ofEpochMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }
}
