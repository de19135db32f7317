package com.streamloom.bench.edge;

import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSegment;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in front of an {@link HlsPackager} and learns, through the packager's public read API only
 * ({@link HlsPackager#snapshot()}), when each video frame became playable: the packager publishes inline in
 * {@link HlsPackager#accept}, so a segment or LL-HLS part that appears in the snapshot right after a call was
 * published by that call. A cut happens before the video frame that causes it, so that frame belongs to the next
 * segment (or part); at {@link #end} and {@link #close} every pending frame is in the published segment.
 *
 * <p>Called from the source's thread only, as the packager is; {@link #segments()} may be read from any thread.
 */
final class PublicationRecorder implements MediaSink, AutoCloseable {
    private final HlsPackager packager;
    private final Clock clock;
    private final List<SegmentInfo> segments = new CopyOnWriteArrayList<>();
    /** Arrival (epoch micros) of each video frame of the segment being built, and when its part was published. */
    private final List<Long> arrivals = new ArrayList<>();
    private final List<Long> partsPublished = new ArrayList<>();
    private long nextSequence;
    private int pendingParts;

    PublicationRecorder(HlsPackager packager, Clock clock) {
        this.packager = packager;
        this.clock = clock;
        this.nextSequence = packager.snapshot().nextSequence();
    }

    @Override
    public void accept(MediaPacket packet) {
        long arrival = SegmentInfo.epochMicros(clock.instant());
        packager.accept(packet);
        recordPublications();
        if (packet.isVideo() && !packet.config()) {
            arrivals.add(arrival);
        }
    }

    @Override
    public void end(String reason) {
        packager.end(reason);
        recordPublications();
    }

    @Override
    public void close() {
        packager.close();
        recordPublications();
    }

    /** Each segment the packager listed, in publication order, with its frames' arrival and part times. */
    List<SegmentInfo> segments() {
        return List.copyOf(segments);
    }

    /** Notes what the last call published; the frame it delivered is not in {@link #arrivals} yet. */
    private void recordPublications() {
        var snapshot = packager.snapshot();
        long now = SegmentInfo.epochMicros(clock.instant());
        if (snapshot.nextSequence() > nextSequence) {
            markPartPublished(now);
            HlsSegment segment = snapshot.segments().stream().filter(s -> s.sequence() == nextSequence).findFirst()
                    .orElseThrow(() -> new IllegalStateException("segment " + nextSequence + " left the window "
                            + "before it was seen; the window must hold at least two segments"));
            segments.add(new SegmentInfo(packager.stream(), segment.sequence(), segment.durationMicros(),
                    segment.discontinuity(), SegmentInfo.ofEpochMicros(now), toArray(arrivals),
                    toArray(partsPublished)));
            arrivals.clear();
            partsPublished.clear();
            nextSequence = snapshot.nextSequence();
            pendingParts = 0;
        }
        if (snapshot.pendingParts().size() > pendingParts) {
            markPartPublished(now);
            pendingParts = snapshot.pendingParts().size();
        }
    }

    /** The frames not yet in a published part are now. */
    private void markPartPublished(long epochMicros) {
        while (partsPublished.size() < arrivals.size()) {
            partsPublished.add(epochMicros);
        }
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
