package com.streamloom.media.codec;

/**
 * Decides which frames the encoder must make IDR frames. HLS segments must start with a keyframe (RFC 8216
 * 4.3.2.1 via EXT-X-TARGETDURATION: a segment can only be cut where a player can start decoding), so the packager
 * cuts at segment-duration multiples and this policy puts an IDR exactly there.
 *
 * <p>Stateful and used by one encoder thread. {@link #reset()} is called when the source is discontinuous (a new
 * publisher): the next frame then is a keyframe and boundaries restart from its timestamp.
 */
public interface KeyframePolicy {

    /** Whether the frame with this presentation time must be encoded as an IDR frame. */
    boolean forceKeyframe(long ptsMicros);

    /** The source restarted; the next frame starts a new timeline (and gets a keyframe). */
    void reset();

    /** Never forces: the encoder's own GOP structure only. */
    static KeyframePolicy none() {
        return new KeyframePolicy() {
            @Override
            public boolean forceKeyframe(long ptsMicros) {
                return false;
            }

            @Override
            public void reset() {
            }
        };
    }

    /**
     * An IDR on the first frame of a timeline (the first frame, the first after a reset or after a backwards jump in
     * time) and on the first frame whose pts reaches each multiple of {@code segmentMicros} after it (t0, t0 + S,
     * t0 + 2S, ...). Boundaries count from the timeline's first frame, not from pts 0: the packager starts a segment
     * at that frame, and a first GOP shorter than S would leave it no keyframe to cut at within the target duration
     * (RFC 8216 4.3.3.1), so its first segment would run on to the keyframe after.
     */
    static KeyframePolicy atSegmentBoundaries(long segmentMicros) {
        return new SegmentBoundaries(segmentMicros);
    }

    /** The policy behind {@link #atSegmentBoundaries}. */
    final class SegmentBoundaries implements KeyframePolicy {
        private final long segmentMicros;
        private long nextBoundary = Long.MIN_VALUE;
        private long lastPts = Long.MIN_VALUE;
        private long origin;

        SegmentBoundaries(long segmentMicros) {
            if (segmentMicros <= 0) {
                throw new IllegalArgumentException("segment duration must be positive, got " + segmentMicros);
            }
            this.segmentMicros = segmentMicros;
        }

        @Override
        public boolean forceKeyframe(long ptsMicros) {
            boolean newTimeline = nextBoundary == Long.MIN_VALUE || ptsMicros < lastPts;
            boolean force = newTimeline || ptsMicros >= nextBoundary;
            if (newTimeline) {
                origin = ptsMicros;
            }
            if (force) {
                nextBoundary = origin + (Math.floorDiv(ptsMicros - origin, segmentMicros) + 1) * segmentMicros;
            }
            lastPts = ptsMicros;
            return force;
        }

        @Override
        public void reset() {
            nextBoundary = Long.MIN_VALUE;
            lastPts = Long.MIN_VALUE;
        }

        public long segmentMicros() {
            return segmentMicros;
        }
    }
}
