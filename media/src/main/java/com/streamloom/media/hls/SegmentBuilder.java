package com.streamloom.media.hls;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The segment being written: its bytes, the parts cut so far and how many video frames it holds. Used under
 * the packager's lock.
 */
final class SegmentBuilder {
    final SegmentBuffer out = new SegmentBuffer(256 * 1024);
    /** Each cut part's bytes, copied when it is cut: HTTP threads read these while this builder grows. */
    final List<byte[]> partData = new ArrayList<>();
    final long sequence;
    final long startDts;
    final Instant programDateTime;
    final boolean discontinuity;
    /** Starts with a keyframe. */
    final boolean independent;
    final List<HlsPart> parts = new ArrayList<>();
    int videoFrames;
    long partStartDts;
    private int partStartOffset;
    private boolean partIndependent;

    /** @param independent the segment starts with a keyframe */
    SegmentBuilder(long sequence, long startDts, Instant programDateTime, boolean discontinuity,
                   boolean independent) {
        this.sequence = sequence;
        this.startDts = startDts;
        this.programDateTime = programDateTime;
        this.discontinuity = discontinuity;
        this.partStartDts = startDts;
        this.independent = independent;
        this.partIndependent = independent;
    }

    void cutPart(long dts, boolean nextIndependent) {
        parts.add(new HlsPart(parts.size(), partStartOffset, out.size() - partStartOffset, dts - partStartDts,
                partIndependent));
        partData.add(out.copy(partStartOffset, out.size() - partStartOffset));
        partStartOffset = out.size();
        partStartDts = dts;
        partIndependent = nextIndependent;
    }

    /**
     * Where the last frame ends: its dts plus the segment's mean frame interval (a single delta would carry the
     * millisecond rounding of RTMP/FLV timestamps into the duration).
     */
    long endOfLastFrame(long lastVideoDts, long frameMicros) {
        int frames = videoFrames;
        if (frames == 0) {
            return startDts;
        }
        long meanFrame = frames > 1 ? Math.round((lastVideoDts - startDts) / (double) (frames - 1)) : frameMicros;
        return lastVideoDts + meanFrame;
    }

    /** @param discontinuitiesBefore discontinuities published before this segment */
    HlsSegment finish(long endDts, long discontinuitiesBefore) {
        if (out.size() > partStartOffset) {
            cutPart(Math.max(endDts, partStartDts), false);
        }
        long discontinuitySequence = discontinuitiesBefore + (discontinuity ? 1 : 0);
        return new HlsSegment(sequence, discontinuitySequence, discontinuity, programDateTime,
                Math.max(0, endDts - startDts), parts, out.toByteArray());
    }

    /** The builder's output, whose written bytes can be copied in part without copying the whole buffer. */
    static final class SegmentBuffer extends ByteArrayOutputStream {
        SegmentBuffer(int size) {
            super(size);
        }

        byte[] copy(int offset, int length) {
            return Arrays.copyOfRange(buf, offset, offset + length);
        }
    }
}
