package com.streamloom.media.hls;

/**
 * Where segments and LL-HLS parts end, decided before each video frame.
 *
 * <ul>
 *   <li>A segment ends at the first keyframe once the configured duration is reached (minus
 *       {@link #CUT_TOLERANCE_MICROS}, so millisecond-rounded timestamps of a keyframe exactly one segment apart still
 *       cut). Keyframe placement is the encoder's job (keyframe interval = segment duration).</li>
 *   <li>RFC 8216 4.3.3.1: EXT-X-TARGETDURATION must not change, and every EXTINF rounded to the nearest integer must
 *       not exceed it. The target is fixed at the start (the configured duration rounded up), so a segment also ends
 *       before a frame that starts {@link #FORCED_CUT_SLACK_MICROS} or more past the target, keyframe or not: a
 *       source whose GOP is longer than the target (a copied stream, a camera) is cut mid-GOP. The slack lets a
 *       keyframe that comes a little late (live timestamps jitter) still start the next segment, and keeps the
 *       EXTINF within rounding of the target.</li>
 *   <li>A segment cut without a keyframe starts with PAT, PMT and a frame that needs the one before it: players
 *       decode on from the previous segment (RFC 8216 3: a segment continues the bitstream of the one before), a
 *       player that joins there waits for the next keyframe, and the playlist leaves out
 *       EXT-X-INDEPENDENT-SEGMENTS while such a segment is listed. Such a segment ends at the next keyframe, however
 *       soon, so segments are aligned with keyframes again as early as possible.</li>
 *   <li>A part ends before the frame that would take it past PART-TARGET (draft-pantos-hls-rfc8216bis 4.4.4.9).</li>
 * </ul>
 */
final class SegmentCuts {
    static final long CUT_TOLERANCE_MICROS = 5_000;
    /** How far past the target a segment may run while it waits for a keyframe. */
    static final long FORCED_CUT_SLACK_MICROS = 250_000;
    /** The most a segment may last beyond the target and still have its EXTINF round to it (RFC 8216 4.3.3.1). */
    static final long MAX_ROUNDED_EXCESS_MICROS = 499_000;

    enum Cut { NONE, SEGMENT, PART }

    private final long segmentMicros;
    private final long maxSegmentMicros;
    private final long partTargetMicros;

    SegmentCuts(long segmentMicros, int targetDurationSeconds, long partTargetMicros) {
        this.segmentMicros = segmentMicros;
        this.maxSegmentMicros = targetDurationSeconds * 1_000_000L;
        this.partTargetMicros = partTargetMicros;
    }

    /** EXT-X-TARGETDURATION for a configured segment duration: rounded up to whole seconds (RFC 8216 4.3.3.1). */
    static int targetDurationSeconds(long segmentMicros) {
        return (int) ((segmentMicros + 999_999) / 1_000_000);
    }

    /**
     * What to cut before a video frame at {@code dts} of the segment {@code building}.
     *
     * @param frameMicros the stream's current frame interval
     */
    Cut before(SegmentBuilder building, long dts, boolean keyframe, long frameMicros) {
        long elapsed = dts - building.startDts;
        boolean realign = !building.independent && elapsed > 0;
        if (keyframe && (elapsed >= segmentMicros - CUT_TOLERANCE_MICROS || realign)) {
            return Cut.SEGMENT;
        }
        if (elapsed >= maxSegmentMicros + FORCED_CUT_SLACK_MICROS) {
            // Judged by where the frame starts, not by a guess of where it ends: frame intervals of a live source
            // are irregular (a burst at the start, a stall), and a wrong guess would cut without need.
            return Cut.SEGMENT;
        }
        if (dts - building.partStartDts + frameMicros > partTargetMicros) {
            return Cut.PART;
        }
        return Cut.NONE;
    }

    /**
     * Where a segment that ends at {@code endDts} is closed: never so far past the target that its EXTINF would round
     * above it (a frame that arrives after a long gap in the source's timestamps starts the next segment, and the
     * gap lies between the two).
     */
    long segmentEnd(SegmentBuilder building, long endDts) {
        return Math.min(endDts, building.startDts + maxSegmentMicros + MAX_ROUNDED_EXCESS_MICROS);
    }
}
