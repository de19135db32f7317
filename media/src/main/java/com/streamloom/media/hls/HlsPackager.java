package com.streamloom.media.hls;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p>Segments are cut at the first video keyframe once the target duration is reached (minus
 * {@link #CUT_TOLERANCE_MICROS}, so millisecond-rounded timestamps of a keyframe exactly one target apart still
 * cut). Keyframe placement is the encoder's job (keyframe interval = segment duration); with a source whose GOP is
 * longer, segments are longer and the target duration grows to cover them.
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
 * the HTTP layer answers asynchronously (a cancelled future is dropped at the next publication). The copy written to
 * {@link HlsSettings#directory()} stays the plain RFC 8216 playlist: a web server serving the files has no parts.
 */
public final class HlsPackager implements MediaSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HlsPackager.class);
    /** The first source's first keyframe is placed here, so B-frame pts/dts and the PCR lead never go negative. */
    static final long TIMELINE_ORIGIN_MICROS = 1_000_000;
    static final long CUT_TOLERANCE_MICROS = 5_000;
    private static final long DEFAULT_FRAME_MICROS = 33_333;
    private static final int MAX_WAITERS = 10_000;
    /** Video dts going back more than this, or forward more than the longest segment, is a new timeline. */
    static final long MAX_BACKWARD_JUMP_MICROS = 500_000;
    static final long MAX_FORWARD_JUMP_MICROS = 10_000_000;

    /** Told when a segment first appears in the playlist; called on the source's thread, must return quickly. */
    @FunctionalInterface
    public interface Listener {
        void onSegmentPublished(SegmentInfo segment);
    }

    private final String stream;
    private final HlsSettings settings;
    private final Clock clock;
    private final Path directory;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder droppedPackets = new LongAdder();

    // Guarded by this.
    private final TsMuxer muxer = new TsMuxer();
    private final ArrayDeque<HlsSegment> retained = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private SegmentBuilder building;
    private boolean sourceStarted;
    private boolean pendingDiscontinuity;
    private boolean closed;
    private long offsetMicros;
    private long timelineEndMicros = Long.MIN_VALUE;
    private long lastVideoDts = Long.MIN_VALUE;
    private long frameMicros = DEFAULT_FRAME_MICROS;
    private Instant anchorWall;
    private long anchorDts;
    private long nextSequence;
    private long discontinuities;
    private int targetDurationSeconds;

    // Read without the lock.
    private final Map<String, HlsSegment> segmentsByName = new ConcurrentHashMap<>();
    private volatile PlaylistSnapshot snapshot;
    private volatile String playlist;

    public HlsPackager(String stream, HlsSettings settings, Clock clock) {
        this(stream, settings, clock, 0);
    }

    /**
     * @param firstSequence media sequence number of the first segment. A node passes
     *                      {@link #wallClockSequence(Clock)} so that a stream that moves to another node, or a node
     *                      that restarts, continues with higher numbers than it had before (ARCHITECTURE: "monotonic
     *                      across node moves, never a reset") without any coordination between nodes.
     */
    public HlsPackager(String stream, HlsSettings settings, Clock clock, long firstSequence) {
        if (firstSequence < 0) {
            throw new IllegalArgumentException("firstSequence must be >= 0");
        }
        this.nextSequence = firstSequence;
        this.stream = stream;
        this.settings = settings;
        this.clock = clock;
        this.directory = settings.directory() == null ? null : settings.directory().resolve(stream);
        this.targetDurationSeconds = (int) Math.ceil(settings.segmentMicros() / 1e6);
        this.snapshot = PlaylistSnapshot.empty(targetDurationSeconds, partTargetMicros());
        if (directory != null) {
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create HLS directory " + directory, e);
            }
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

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /**
     * The current LL-HLS playlist ({@link HlsPlaylistRenderer#renderLowLatency}), re-rendered at every part; null
     * before the first segment is complete (the HTTP layer answers 404).
     */
    public String playlist() {
        return playlist;
    }

    public PlaylistSnapshot snapshot() {
        return snapshot;
    }

    /** A segment still held (listed, or recently removed from the list), or null. */
    public HlsSegment segment(String name) {
        return segmentsByName.get(name);
    }

    /**
     * A partial segment's bytes (LL-HLS EXT-X-PART): part {@code index} of segment {@code msn}, whether that segment
     * is complete (a read-only view of its data) or still being written (the bytes copied when the part was cut);
     * null if there is no such part (not cut yet, beyond the segment's last part, or no longer held).
     */
    public ByteBuffer part(long msn, int index) {
        if (index < 0) {
            return null;
        }
        PlaylistSnapshot current = snapshot;
        if (msn == current.nextSequence() && index < current.pendingPartData().size()) {
            return ByteBuffer.wrap(current.pendingPartData().get(index)).asReadOnlyBuffer();
        }
        HlsSegment segment = segmentsByName.get(HlsSegment.fileName(msn));
        if (segment == null || index >= segment.parts().size()) {
            return null;
        }
        HlsPart part = segment.parts().get(index);
        return ByteBuffer.wrap(segment.data(), part.offset(), part.length()).slice().asReadOnlyBuffer();
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
        List<SegmentInfo> published = new ArrayList<>(1);
        synchronized (this) {
            if (closed) {
                return;
            }
            if (packet.config()) {
                configure(packet);
            } else {
                mux(packet, arrival, published);
            }
        }
        notifyListeners(published);
    }

    /** The source stopped: the segment being built is published; the next source continues after a discontinuity. */
    @Override
    public void end(String reason) {
        List<SegmentInfo> published = new ArrayList<>(1);
        synchronized (this) {
            if (closed) {
                return;
            }
            endSource(published);
        }
        log.info("HLS {}: source ended ({}), waiting for the next one", stream, reason);
        notifyListeners(published);
    }

    /** Stops the packager: the last segment is published; later packets are ignored; waiters fail. */
    @Override
    public void close() {
        List<SegmentInfo> published = new ArrayList<>(1);
        synchronized (this) {
            if (closed) {
                return;
            }
            endSource(published);
            closed = true;
            for (Waiter waiter : waiters) {
                waiter.future.completeExceptionally(new IllegalStateException("stream " + stream + " closed"));
            }
            waiters.clear();
        }
        notifyListeners(published);
    }

    /**
     * LL-HLS blocking playlist reload (draft-pantos-hls-rfc8216bis 6.2.5.2): completes with the first snapshot that
     * contains segment {@code msn} (or, with {@code part >= 0}, that part of it). Throws IllegalArgumentException
     * for an msn more than two segments ahead, which the spec answers with 400.
     */
    public synchronized CompletableFuture<PlaylistSnapshot> awaitPlaylist(long msn, int part) {
        PlaylistSnapshot current = snapshot;
        if (current.contains(msn, part)) {
            return CompletableFuture.completedFuture(current);
        }
        if (msn > current.nextSequence() + 2) {
            throw new IllegalArgumentException("_HLS_msn " + msn + " is more than two segments ahead of "
                    + current.nextSequence());
        }
        if (waiters.size() >= MAX_WAITERS) {
            waiters.removeIf(w -> w.future.isDone());
        }
        if (closed || waiters.size() >= MAX_WAITERS) {
            return CompletableFuture.failedFuture(new IllegalStateException(closed ? "stream closed"
                    : "too many blocked playlist requests"));
        }
        Waiter waiter = new Waiter(msn, part, new CompletableFuture<>());
        waiters.add(waiter);
        return waiter.future;
    }

    private void configure(MediaPacket packet) {
        try {
            muxer.configure(packet);
        } catch (IllegalArgumentException e) {
            drop(packet, e.getMessage());
        }
    }

    private void mux(MediaPacket packet, Instant arrival, List<SegmentInfo> published) {
        if (sourceStarted && packet.isVideo() && lastVideoDts != Long.MIN_VALUE) {
            long jump = packet.dtsMicros() + offsetMicros - lastVideoDts;
            if (jump < -MAX_BACKWARD_JUMP_MICROS || jump > MAX_FORWARD_JUMP_MICROS) {
                // The source's clock restarted without an end() (a pull source that reconnected, an encoder
                // restart, a timestamp wrap): the same as a new source, so the timeline stays monotonic.
                log.info("HLS {}: video timestamp jumped by {} ms, starting a discontinuity", stream, jump / 1000);
                endSource(published);
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
        long dts = packet.dtsMicros() + offsetMicros;
        MediaPacket rebased = packet.withTimes(packet.ptsMicros() + offsetMicros, dts);
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
            if (packet.keyframe() && (building == null
                    || dts - building.startDts >= settings.segmentMicros() - CUT_TOLERANCE_MICROS)) {
                if (building != null) {
                    publish(building, dts, published);
                }
                building = new SegmentBuilder(nextSequence, dts, wallTimeOf(dts), pendingDiscontinuity);
                if (pendingDiscontinuity) {
                    muxer.markDiscontinuity();
                    pendingDiscontinuity = false;
                }
                muxer.writeTables(building.out);
            } else if (dts - building.partStartDts + frameMicros > partTargetMicros()) {
                // Cut before this frame if it would take the part past its target, so every part's duration is
                // at most PART-TARGET (draft-pantos-hls-rfc8216bis 4.4.4.9) while staying close to it.
                building.cutPart(dts, packet.keyframe());
                if (packet.keyframe()) {
                    // An INDEPENDENT part is where a player may start; give it the tables it needs to demux.
                    muxer.writeTables(building.out);
                }
                publishSnapshot(building.parts, building.partData);
                building.partPublished(SegmentInfo.epochMicros(clock.instant()));
            }
        }
        muxer.writeElementaryStream(rebased, es, building.out);
        if (packet.isVideo()) {
            if (lastVideoDts != Long.MIN_VALUE && dts > lastVideoDts && dts - lastVideoDts < 1_000_000) {
                frameMicros = dts - lastVideoDts;
            }
            lastVideoDts = Math.max(lastVideoDts, dts);
            building.arrivals.add(SegmentInfo.epochMicros(arrival));
        }
        timelineEndMicros = Math.max(timelineEndMicros, dts + (packet.isVideo() ? frameMicros : 0));
    }

    private void startSource(MediaPacket keyframe, Instant arrival) {
        long target = timelineEndMicros == Long.MIN_VALUE ? TIMELINE_ORIGIN_MICROS : timelineEndMicros;
        offsetMicros = target - keyframe.dtsMicros();
        anchorDts = target;
        anchorWall = arrival;
        sourceStarted = true;
        lastVideoDts = Long.MIN_VALUE;
    }

    private void endSource(List<SegmentInfo> published) {
        if (building != null) {
            publish(building, building.endOfLastFrame(), published);
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

    private void publish(SegmentBuilder finished, long endDts, List<SegmentInfo> published) {
        HlsSegment segment = finished.finish(endDts);
        nextSequence = segment.sequence() + 1;
        if (segment.discontinuity()) {
            discontinuities++;
        }
        // RFC 8216 4.3.3.1: each EXTINF rounded to the nearest integer must not exceed the target. (Rounding, not
        // ceiling: a 1.001 s segment from millisecond timestamps must not double a 1 s target and with it the
        // players' reload interval.) The target must not change (6.2.1), so it only ever grows, and only when a
        // source's GOP is longer than configured.
        targetDurationSeconds = Math.max(targetDurationSeconds, (int) Math.round(segment.durationMicros() / 1e6));
        retained.addLast(segment);
        segmentsByName.put(segment.name(), segment);
        // RFC 8216 6.2.2: a segment removed from the playlist stays available for its duration plus the playlist's;
        // keeping another window's worth (plus one) covers that, then it is deleted.
        int keep = 2 * settings.windowSegments() + 1;
        while (retained.size() > keep) {
            HlsSegment old = retained.removeFirst();
            segmentsByName.remove(old.name());
            deleteFile(old);
        }
        writeFile(segment);
        publishSnapshot(List.of(), List.of()); // the next segment has no parts yet
        writePlaylistFile();
        Instant publishedAt = clock.instant();
        finished.partPublished(SegmentInfo.epochMicros(publishedAt)); // the last part comes with the segment
        published.add(new SegmentInfo(stream, segment.sequence(), segment.durationMicros(), segment.discontinuity(),
                publishedAt, finished.arrivals.toArray(), finished.partsPublished.toArray()));
    }

    private void publishSnapshot(List<HlsPart> pendingParts, List<byte[]> pendingPartData) {
        List<HlsSegment> listed = new ArrayList<>(settings.windowSegments());
        Iterator<HlsSegment> newestFirst = retained.descendingIterator();
        while (newestFirst.hasNext() && listed.size() < settings.windowSegments()) {
            listed.add(0, newestFirst.next());
        }
        long mediaSequence = listed.isEmpty() ? nextSequence : listed.get(0).sequence();
        long discontinuitySequence = listed.isEmpty() ? discontinuities
                : listed.get(0).discontinuitySequence() - (listed.get(0).discontinuity() ? 1 : 0);
        snapshot = new PlaylistSnapshot(targetDurationSeconds, mediaSequence, discontinuitySequence, listed,
                nextSequence, pendingParts, pendingPartData, partTargetMicros());
        if (!listed.isEmpty()) {
            // Published before the waiters complete, so a blocked reload that then reads playlist() sees it.
            playlist = HlsPlaylistRenderer.renderLowLatency(snapshot);
        }
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.future.isDone()) {
                it.remove(); // cancelled by its requester (a timeout)
            } else if (snapshot.contains(waiter.msn, waiter.part)) {
                it.remove();
                waiter.future.complete(snapshot);
            }
        }
    }

    private void drop(MediaPacket packet, String reason) {
        droppedPackets.increment();
        log.warn("HLS {}: dropped {}: {}", stream, packet, reason);
    }

    private void notifyListeners(List<SegmentInfo> published) {
        for (SegmentInfo info : published) {
            for (Listener listener : listeners) {
                try {
                    listener.onSegmentPublished(info);
                } catch (RuntimeException e) {
                    log.warn("HLS {}: segment listener failed", stream, e);
                }
            }
        }
    }

    private void writeFile(HlsSegment segment) {
        if (directory != null) {
            writeAtomically(directory.resolve(segment.name()), segment.data());
        }
    }

    /**
     * The file copy is the plain RFC 8216 playlist: an external web server serves the segment files but has no
     * parts and cannot hold a blocking reload, so it must not announce LL-HLS.
     */
    private void writePlaylistFile() {
        if (directory != null) {
            writeAtomically(directory.resolve("index.m3u8"),
                    HlsPlaylistRenderer.render(snapshot).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Write then rename, so a web server reading the directory never sees half a file. */
    private void writeAtomically(Path target, byte[] data) {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.write(temp, data);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("HLS {}: cannot write {}", stream, target, e);
        }
    }

    private void deleteFile(HlsSegment segment) {
        if (directory != null) {
            try {
                Files.deleteIfExists(directory.resolve(segment.name()));
            } catch (IOException e) {
                log.warn("HLS {}: cannot delete {}", stream, segment.name(), e);
            }
        }
    }

    private record Waiter(long msn, int part, CompletableFuture<PlaylistSnapshot> future) {
    }

    /** The segment being written: its bytes, the parts cut so far and the arrival times of its video frames. */
    private final class SegmentBuilder {
        final SegmentBuffer out = new SegmentBuffer(256 * 1024);
        /** Each cut part's bytes, copied when it is cut: HTTP threads read these while this builder grows. */
        final List<byte[]> partData = new ArrayList<>();
        final long sequence;
        final long startDts;
        final Instant programDateTime;
        final boolean discontinuity;
        final List<HlsPart> parts = new ArrayList<>();
        final LongList arrivals = new LongList();
        /** For each frame in a published part, when that part was published (a benchmark's ingest → part). */
        final LongList partsPublished = new LongList();
        long partStartDts;
        int partStartOffset;
        boolean partIndependent = true;

        SegmentBuilder(long sequence, long startDts, Instant programDateTime, boolean discontinuity) {
            this.sequence = sequence;
            this.startDts = startDts;
            this.programDateTime = programDateTime;
            this.discontinuity = discontinuity;
            this.partStartDts = startDts;
        }

        void cutPart(long dts, boolean nextIndependent) {
            parts.add(new HlsPart(parts.size(), partStartOffset, out.size() - partStartOffset, dts - partStartDts,
                    partIndependent));
            partData.add(out.copy(partStartOffset, out.size() - partStartOffset));
            partStartOffset = out.size();
            partStartDts = dts;
            partIndependent = nextIndependent;
        }

        /** The frames not yet in a published part are now. */
        void partPublished(long epochMicros) {
            while (partsPublished.size < arrivals.size) {
                partsPublished.add(epochMicros);
            }
        }

        /**
         * Where the last frame ends: its dts plus the segment's mean frame interval (a single delta would carry the
         * millisecond rounding of RTMP/FLV timestamps into the duration).
         */
        long endOfLastFrame() {
            int frames = arrivals.size;
            if (frames == 0) {
                return startDts;
            }
            long meanFrame = frames > 1 ? Math.round((lastVideoDts - startDts) / (double) (frames - 1)) : frameMicros;
            return lastVideoDts + meanFrame;
        }

        HlsSegment finish(long endDts) {
            if (out.size() > partStartOffset) {
                cutPart(Math.max(endDts, partStartDts), false);
            }
            long discontinuitySequence = discontinuities + (discontinuity ? 1 : 0);
            return new HlsSegment(sequence, discontinuitySequence, discontinuity, programDateTime,
                    Math.max(0, endDts - startDts), parts, out.toByteArray());
        }
    }

    /** The builder's output, whose written bytes can be copied in part without copying the whole buffer. */
    private static final class SegmentBuffer extends ByteArrayOutputStream {
        SegmentBuffer(int size) {
            super(size);
        }

        byte[] copy(int offset, int length) {
            return Arrays.copyOfRange(buf, offset, offset + length);
        }
    }

    /** A growable list of primitive longs (arrival times), to avoid boxing one Long per frame. */
    private static final class LongList {
        private long[] values = new long[64];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
