package com.streamloom.media.hls;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.media.packet.SourceRetimer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packages one stream as live HLS (RFC 8216): MPEG-TS segments cut at keyframes, held in a bounded in-memory store,
 * and a sliding-window media playlist. One packager per stream for the stream's whole life: when its source ends
 * and a new one starts (a publisher reconnects, a camera comes back), the same packager continues, so media
 * sequence numbers keep increasing, the timeline keeps increasing (the new source is rebased to continue where the
 * old one stopped) and the first new segment carries EXT-X-DISCONTINUITY.
 *
 * <p>Streams carry video (segments are cut at video keyframes); packets before the first video keyframe of each
 * source are dropped, since a segment must start with one.
 *
 * <p>Threads: {@link #accept} and {@link #end} come from the source's thread; the work is a few memory copies per
 * packet, so it runs inline under this object's lock rather than through another queue. Readers
 * ({@link #playlist()}, {@link #segment(String)}, {@link #snapshot()}) never take the lock: they read an immutable
 * {@link PlaylistSnapshot} and a concurrent map.
 *
 * <p>Segments are cut at video keyframes and never exceed the target duration, which is fixed when the packager
 * is made ({@link SegmentCuts}). The new source's timestamps are placed after the old one's by a
 * {@link SourceRetimer}; the window of listed segments is a {@link PlaylistWindow}, the blocked reloads
 * {@link PlaylistWaiters}, the copy on disk a {@link DiskMirror}.
 *
 * <p>Low-latency HLS (draft-pantos-hls-rfc8216bis): each segment is built as a list of {@link HlsPart}s, byte
 * ranges that start at a video frame, cut before the frame that would take the part past
 * {@link #partTargetMicros()} (so no part exceeds PART-TARGET; about {@link HlsSettings#partMicros()} each). A part
 * that starts with a keyframe (INDEPENDENT=YES) starts with PAT and PMT, as segments do, so a player can join there.
 * Every part cut publishes a new snapshot with the pending segment's parts and their bytes (copied at the cut, since
 * the builder's buffer keeps growing under the lock while HTTP threads read), and re-renders {@link #playlist()}
 * with {@link HlsPlaylistRenderer#renderLowLatency}. {@link #part(long, int)} serves any held part, complete or
 * pending; the blocking playlist reload ({@code _HLS_msn}/{@code _HLS_part}) and preload-hinted part requests are
 * {@link #awaitPlaylist(long, int)}: a future that completes when the snapshot contains that segment or part, which
 * the HTTP layer answers asynchronously. The copy written to {@link HlsSettings#directory()} stays the plain
 * RFC 8216 playlist: a web server serving the files has no parts.
 */
public final class HlsPackager implements MediaSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HlsPackager.class);
    /** The first source's first keyframe is placed here, so B-frame pts/dts and the PCR lead never go negative. */
    static final long TIMELINE_ORIGIN_MICROS = 1_000_000;
    static final long CUT_TOLERANCE_MICROS = SegmentCuts.CUT_TOLERANCE_MICROS;
    private static final long DEFAULT_FRAME_MICROS = 33_333;
    /** Video dts going back more than this, or forward more than the longest segment, is a new timeline. */
    static final long MAX_BACKWARD_JUMP_MICROS = 500_000;
    static final long MAX_FORWARD_JUMP_MICROS = 10_000_000;

    private final String stream;
    private final HlsSettings settings;
    private final Clock clock;
    private final LongAdder droppedPackets = new LongAdder();
    private final SegmentCuts cuts;
    /** Read without the lock: its snapshot and segments are safe to share. */
    private final PlaylistWindow window;
    private final DiscontinuityStore discontinuities;

    // Guarded by this.
    private final TsMuxer muxer = new TsMuxer();
    private final PlaylistWaiters waiters = new PlaylistWaiters();
    private final SourceRetimer retimer = SourceRetimer.startingAt(TIMELINE_ORIGIN_MICROS);
    private SegmentBuilder building;
    private boolean sourceStarted;
    private boolean pendingDiscontinuity;
    private boolean closed;
    private long lastVideoDts = Long.MIN_VALUE;
    private long frameMicros = DEFAULT_FRAME_MICROS;
    private Instant anchorWall;
    private long anchorDts;

    public HlsPackager(String stream, HlsSettings settings, Clock clock) {
        this(stream, settings, clock, 0, null);
    }

    /** A packager whose discontinuity sequence starts at 0 and is kept nowhere (tools, benchmarks, tests). */
    public HlsPackager(String stream, HlsSettings settings, Clock clock, long firstSequence) {
        this(stream, settings, clock, firstSequence, null);
    }

    /**
     * @param firstSequence media sequence number of the first segment. A node passes
     *                      {@link #wallClockSequence(Clock)} so that a stream that moves to another node, or a node
     *                      that restarts, continues with higher numbers than it had before (ARCHITECTURE: "monotonic
     *                      across node moves, never a reset") without any coordination between nodes.
     * @param discontinuities where the stream's discontinuity sequence is kept across packagers, or null to keep
     *                      nothing (it starts at 0). With a record from an earlier packager of the stream (a node
     *                      restart, a rebuild), the discontinuity sequence continues from it and the first segment
     *                      carries EXT-X-DISCONTINUITY: a player that kept the playlist open sees the new timeline
     *                      as a new discontinuity (RFC 8216 6.2.1, 6.3.3), never an older number.
     */
    public HlsPackager(String stream, HlsSettings settings, Clock clock, long firstSequence,
                       DiscontinuityStore discontinuities) {
        if (firstSequence < 0) {
            throw new IllegalArgumentException("firstSequence must be >= 0");
        }
        this.stream = stream;
        this.settings = settings;
        this.clock = clock;
        this.discontinuities = discontinuities;
        OptionalLong before = discontinuities == null ? OptionalLong.empty() : discontinuities.last(stream);
        this.pendingDiscontinuity = before.isPresent();
        int target = SegmentCuts.targetDurationSeconds(settings.segmentMicros());
        this.cuts = new SegmentCuts(settings.segmentMicros(), target, partTargetMicros());
        DiskMirror mirror = settings.directory() == null ? null : new DiskMirror(stream, settings.directory());
        this.window = new PlaylistWindow(settings.windowSegments(), target, partTargetMicros(), firstSequence,
                before.orElse(0), mirror);
        if (discontinuities != null && before.isEmpty()) {
            discontinuities.record(stream, 0); // so that a packager after a restart knows a playlist existed
        }
    }

    /**
     * A first sequence number from the wall clock: two per second since the epoch. Segments last at least one second
     * (the shortest allowed target), so a packager never advances faster than this clock, and a packager created
     * later for the same stream (elsewhere, after a move or a restart) always starts above the numbers an earlier
     * one has used, given clocks synchronised to well under a second (NTP).
     */
    public static long wallClockSequence(Clock clock) {
        return clock.millis() / 500;
    }

    public String stream() {
        return stream;
    }

    public HlsSettings settings() {
        return settings;
    }

    /**
     * The current LL-HLS playlist ({@link HlsPlaylistRenderer#renderLowLatency}), re-rendered at every part; null
     * before the first segment is complete (the HTTP layer answers 404).
     */
    public String playlist() {
        return window.playlist();
    }

    public PlaylistSnapshot snapshot() {
        return window.snapshot();
    }

    /** A segment still held (listed, or recently removed from the list), or null. */
    public HlsSegment segment(String name) {
        return window.segment(name);
    }

    /**
     * A partial segment's bytes (LL-HLS EXT-X-PART): part {@code index} of segment {@code msn}, whether that segment
     * is complete (a read-only view of its data) or still being written (the bytes copied when the part was cut);
     * null if there is no such part (not cut yet, beyond the segment's last part, or no longer held).
     */
    public ByteBuffer part(long msn, int index) {
        return window.part(msn, index);
    }

    /**
     * PART-TARGET: the configured part duration plus the cut tolerance, which absorbs the millisecond rounding of
     * RTMP/FLV timestamps (ten 30 fps frames are 333 or 334 ms). Parts are cut so that none exceeds it.
     */
    public long partTargetMicros() {
        return settings.partMicros() + CUT_TOLERANCE_MICROS;
    }

    /** Packets dropped because they were malformed or unsupported (each is logged). */
    public long droppedPackets() {
        return droppedPackets.sum();
    }

    @Override
    public void accept(MediaPacket packet) {
        Instant arrival = clock.instant();
        synchronized (this) {
            if (closed) {
                return;
            }
            if (packet.config()) {
                configure(packet);
            } else {
                mux(packet, arrival);
            }
        }
    }

    /** The source stopped: the segment being built is published; the next source continues after a discontinuity. */
    @Override
    public void end(String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            endSource();
        }
        log.info("HLS {}: source ended ({}), waiting for the next one", stream, reason);
    }

    /**
     * Charges this packager's window to the node's HLS memory budget (which may then trim it); call before the first
     * packet. Until then, and without it, the window is bounded only by its own length.
     */
    public void chargeTo(HlsMemoryBudget budget) {
        window.chargeTo(budget);
    }

    /** Stops the packager: the last segment is published; later packets are ignored; waiters fail. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            endSource();
            closed = true;
            waiters.close(stream);
        }
        window.release();
    }

    /**
     * LL-HLS blocking playlist reload (draft-pantos-hls-rfc8216bis 6.2.5.2): completes with the first snapshot that
     * contains segment {@code msn} (or, with {@code part >= 0}, that part of it). Throws IllegalArgumentException
     * for an msn more than two segments ahead, which the spec answers with 400.
     */
    public synchronized CompletableFuture<PlaylistSnapshot> awaitPlaylist(long msn, int part) {
        return waiters.await(window.snapshot(), msn, part);
    }

    private void configure(MediaPacket packet) {
        try {
            muxer.configure(packet);
        } catch (IllegalArgumentException e) {
            drop(packet, e.getMessage());
        }
    }

    private void mux(MediaPacket packet, Instant arrival) {
        if (sourceStarted && packet.isVideo() && lastVideoDts != Long.MIN_VALUE) {
            long jump = retimer.toRunningClock(packet.dtsMicros()) - lastVideoDts;
            if (jump < -MAX_BACKWARD_JUMP_MICROS || jump > MAX_FORWARD_JUMP_MICROS) {
                // The source's clock restarted without an end() (a pull source that reconnected, an encoder
                // restart, a timestamp wrap): the same as a new source, so the timeline stays monotonic.
                log.info("HLS {}: video timestamp jumped by {} ms, starting a discontinuity", stream, jump / 1000);
                endSource();
            }
        }
        if (!sourceStarted) {
            // A segment must start with a keyframe the decoder can use, so everything before the first one of each
            // source is dropped (it could not be decoded anyway).
            if (!(packet.isVideo() && packet.keyframe() && muxer.hasVideo())) {
                return;
            }
            startSource(packet, arrival);
        }
        MediaPacket rebased = retimer.retime(packet);
        long dts = rebased.dtsMicros();
        byte[] es;
        try {
            // Converted before any segment decision, so a malformed keyframe never starts a segment.
            es = muxer.elementaryStream(rebased);
        } catch (IllegalArgumentException e) {
            drop(packet, e.getMessage());
            return;
        }
        if (es == null) {
            return; // audio before its config
        }
        if (packet.isVideo()) {
            cutBefore(dts, packet.keyframe());
        }
        muxer.writeElementaryStream(rebased, es, building.out);
        if (packet.isVideo()) {
            if (lastVideoDts != Long.MIN_VALUE && dts > lastVideoDts && dts - lastVideoDts < 1_000_000) {
                frameMicros = dts - lastVideoDts;
            }
            lastVideoDts = Math.max(lastVideoDts, dts);
            building.videoFrames++;
        }
        retimer.extendTo(dts + (packet.isVideo() ? frameMicros : 0));
    }

    /** Starts a segment or a part before the video frame at {@code dts} where {@link SegmentCuts} says so. */
    private void cutBefore(long dts, boolean keyframe) {
        SegmentCuts.Cut cut = building == null ? SegmentCuts.Cut.SEGMENT
                : cuts.before(building, dts, keyframe, frameMicros);
        if (cut == SegmentCuts.Cut.SEGMENT) {
            if (building != null) {
                publish(building, dts);
            }
            building = new SegmentBuilder(window.nextSequence(), dts, wallTimeOf(dts), pendingDiscontinuity,
                    keyframe);
            if (pendingDiscontinuity) {
                muxer.markDiscontinuity();
                pendingDiscontinuity = false;
            }
            muxer.writeTables(building.out);
        } else if (cut == SegmentCuts.Cut.PART) {
            building.cutPart(dts, keyframe);
            if (keyframe) {
                // An INDEPENDENT part is where a player may start; give it the tables it needs to demux.
                muxer.writeTables(building.out);
            }
            waiters.published(window.publish(building.parts, building.partData));
        }
    }

    private void startSource(MediaPacket keyframe, Instant arrival) {
        retimer.newSource();
        retimer.anchor(keyframe.dtsMicros(), 0);
        anchorDts = retimer.toRunningClock(keyframe.dtsMicros());
        anchorWall = arrival;
        sourceStarted = true;
        lastVideoDts = Long.MIN_VALUE;
    }

    private void endSource() {
        if (building != null) {
            publish(building, building.endOfLastFrame(lastVideoDts, frameMicros));
            building = null;
        }
        if (sourceStarted) {
            sourceStarted = false;
            pendingDiscontinuity = true;
        }
    }

    /** Wall time of a timeline position: the source's first keyframe arrival plus media time since then. */
    private Instant wallTimeOf(long dts) {
        long delta = dts - anchorDts;
        return anchorWall.plusSeconds(Math.floorDiv(delta, 1_000_000)).plusNanos(Math.floorMod(delta, 1_000_000) * 1000L);
    }

    private void publish(SegmentBuilder finished, long endDts) {
        HlsSegment segment = finished.finish(cuts.segmentEnd(finished, endDts), window.discontinuities());
        waiters.published(window.add(segment));
        if (segment.discontinuity() && discontinuities != null) {
            discontinuities.record(stream, segment.discontinuitySequence());
        }
    }

    private void drop(MediaPacket packet, String reason) {
        droppedPackets.increment();
        log.warn("HLS {}: dropped {}: {}", stream, packet, reason);
    }
}
