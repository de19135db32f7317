package com.streamloom.media.hls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.media.testing.SettableClock;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * HLS playlists keep RFC 8216's rules: a fixed target duration, a sliding window, discontinuities at gaps, numbers that never go back.
 */
class HlsPackagerTest {
    static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
    @TempDir
    static Path dir;
    /** 6 s at 30 fps, a keyframe every second. */
    static List<MediaPacket> sixSeconds;

    @BeforeAll
    static void encodeSources() {
        sixSeconds = PacketsForTests.packets(dir, "six", Source.small(6));
    }

    private final SettableClock clock = new SettableClock(START);

    @Test
    void cutsSegmentsAtKeyframesOnceTheTargetIsReached() throws Exception {
        HlsPackager packager = packager(2, 6);
        feedRealTime(packager, sixSeconds, START);
        packager.end("test over");

        Playlist playlist = Playlist.parse(packager.playlist());
        assertThat(playlist.durations()).containsExactly(2.0, 2.0, 2.0);
        for (Playlist.Entry entry : playlist.entries) {
            // Each segment stands alone: it decodes cleanly from its first byte (PAT, PMT, keyframe with SPS/PPS)
            // and holds exactly its 60 frames.
            Path file = dir.resolve("cut-" + entry.uri);
            Files.write(file, packager.segment(entry.uri).data());
            assertThat(PacketsForTests.decodeErrors(file)).as(entry.uri).isEmpty();
            JsonNode frames = new ObjectMapper().readTree(PacketsForTests.run(PacketsForTests.ffprobe(), "-v", "error",
                    "-select_streams", "v", "-show_frames", "-show_entries", "frame=key_frame,pict_type",
                    "-of", "json", file.toString())).get("frames");
            assertThat(frames.size()).isEqualTo(60);
            assertThat(frames.get(0).get("key_frame").asInt()).isEqualTo(1);
        }
    }

    @Test
    void segmentsOfOneSecondWhenConfigured() {
        HlsPackager packager = packager(1, 10);
        feedRealTime(packager, sixSeconds, START);
        packager.end("test over");
        Playlist playlist = Playlist.parse(packager.playlist());
        assertThat(playlist.durations()).hasSize(6).allSatisfy(d -> assertThat(d).isCloseTo(1.0, within(0.001)));
        assertThat(playlist.targetDuration).isEqualTo(1);
    }

    @Test
    void slidingWindowListsTheNewestSegmentsAndDeletesOldOnes() throws Exception {
        Path disk = dir.resolve("disk");
        HlsPackager packager = new HlsPackager("cam", new HlsSettings(1_000_000, 3, HlsSettings.DEFAULT_PART_MICROS,
                disk), clock);
        long shift = 0;
        // 4 runs of the 6 s source without ending: 24 one-second segments, timestamps shifted to stay continuous.
        for (int run = 0; run < 4; run++, shift += 6_000_000) {
            long by = shift;
            feedRealTime(packager, sixSeconds.stream().map(p -> p.withTimes(p.ptsMicros() + by, p.dtsMicros() + by))
                    .toList(), START);
        }
        Playlist playlist = Playlist.parse(packager.playlist());
        assertThat(playlist.entries).as(packager.playlist()).hasSize(3);
        long newest = playlist.mediaSequence + 2;
        assertThat(playlist.uris()).containsExactly((newest - 2) + ".ts", (newest - 1) + ".ts", newest + ".ts");
        assertThat(newest).isEqualTo(22); // 23 segments complete (0..22), the 24th is still being written
        // RFC 8216 6.2.2: removed segments stay for a while (another window plus one), then they are deleted.
        assertThat(packager.segment((newest - 3) + ".ts")).isNotNull();
        assertThat(packager.segment((newest - 6) + ".ts")).isNotNull();
        assertThat(packager.segment((newest - 7) + ".ts")).isNull();
        assertThat(packager.segment("0.ts")).isNull();
        try (var files = Files.list(disk.resolve("cam"))) {
            assertThat(files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()))
                    .contains("index.m3u8", newest + ".ts", (newest - 6) + ".ts")
                    .doesNotContain("0.ts", (newest - 7) + ".ts");
        }
        // The file is for an external web server, which has no parts and cannot block: the plain RFC 8216 playlist
        // with the same segments as the LL-HLS one served from memory.
        String onDisk = Files.readString(disk.resolve("cam/index.m3u8"));
        assertThat(onDisk).doesNotContain("#EXT-X-PART", "#EXT-X-PRELOAD-HINT", "#EXT-X-SERVER-CONTROL");
        assertThat(Playlist.parse(onDisk).uris()).isEqualTo(playlist.uris());
        assertThat(packager.playlist()).contains("#EXT-X-PART:", "#EXT-X-PRELOAD-HINT:");
    }

    @Test
    void longGopsAreCutWithinTheTargetAndRealignAtTheNextKeyframe() {
        // Keyframes every 2.5 s with 1 s segments: RFC 8216 4.3.3.1 allows no EXTINF that rounds above the target,
        // so a segment that would run past it by more than the slack is cut without a keyframe, and the next
        // keyframe starts a segment again.
        List<MediaPacket> longGop = PacketsForTests.packets(dir, "gop75", Source.small(5).withKeyframeInterval(75));
        HlsPackager packager = packager(1, 6);
        feedRealTime(packager, longGop, START);
        packager.end("test over");
        Playlist playlist = Playlist.parse(packager.playlist());
        assertThat(playlist.targetDuration).isEqualTo(1);
        assertThat(playlist.durations()).hasSizeGreaterThanOrEqualTo(4).allSatisfy(d -> assertThat(d)
                .isLessThanOrEqualTo(1.25 + 0.034));
        // The two keyframes (at 0 and 2.5 s) each start a segment; the other segments continue a GOP.
        List<HlsSegment> segments = packager.snapshot().segments();
        assertThat(segments.get(0).independent()).isTrue();
        assertThat(segments).filteredOn(HlsSegment::independent).hasSize(2);
        // Not every listed segment starts with a keyframe, so the playlist must not claim they do (4.3.5.1).
        assertThat(packager.playlist()).doesNotContain("#EXT-X-INDEPENDENT-SEGMENTS");
    }

    @Test
    void targetDurationNeverChangesAcrossAReconnectWithALongerGop() {
        // RFC 8216 4.3.3.1: EXT-X-TARGETDURATION must not change. A publisher with 2 s GOPs leaves, and one with
        // 4 s GOPs comes back to the same stream: the target stays 2 and no segment runs past it by more than the
        // slack and a frame.
        List<MediaPacket> fourSecondGop = PacketsForTests.packets(dir, "gop120",
                Source.small(8).withKeyframeInterval(120));
        HlsPackager packager = packager(2, 10);
        java.util.Set<Integer> targets = new java.util.TreeSet<>();
        Runnable watch = () -> targets.add(packager.snapshot().targetDurationSeconds());
        feedRealTime(packager, sixSeconds, START, watch);
        packager.end("publisher left");
        feedRealTime(packager, fourSecondGop, START.plusSeconds(30), watch);
        packager.end("publisher left again");
        watch.run();

        assertThat(targets).containsExactly(2);
        Playlist playlist = Playlist.parse(packager.playlist());
        assertThat(playlist.targetDuration).isEqualTo(2);
        assertThat(packager.snapshot().segments()).hasSize(7)
                .allSatisfy(s -> assertThat(s.durationMicros()).isLessThanOrEqualTo(2_250_000 + 34_000));
        assertThat(playlist.discontinuityBefore).containsExactly(false, false, false, true, false, false, false);
        assertThat(packager.snapshot().segments().get(3).independent()).as("a new source starts at a keyframe")
                .isTrue();
    }

    @Test
    void aGapInTheTimestampsNeverTakesASegmentPastTheTarget() {
        // The source stalls for 2.4 s, skipping its keyframes at 1 and 2 s: the frame after the gap (at 2.9 s) would
        // make the first segment 2.9 s long, an EXTINF that rounds to 3 above a target of 2 (RFC 8216 4.3.3.1). The
        // segment ends within rounding of the target instead and the gap lies between it and the next.
        List<MediaPacket> withGap = sixSeconds.stream()
                .filter(p -> p.config() || p.dtsMicros() < 500_000 || p.dtsMicros() >= 2_900_000).toList();
        HlsPackager packager = packager(2, 6);
        feedRealTime(packager, withGap, START);
        packager.end("test over");
        Playlist playlist = Playlist.parse(packager.playlist());
        assertThat(playlist.targetDuration).isEqualTo(2);
        // Then the keyframe at 3 s starts a segment again; the source's keyframes come every second.
        assertThat(playlist.durations()).satisfiesExactly(
                d -> assertThat(d).isCloseTo(2.499, within(0.001)),
                d -> assertThat(d).isCloseTo(0.1, within(0.01)),
                d -> assertThat(d).isCloseTo(2.0, within(0.01)),
                d -> assertThat(d).isCloseTo(1.0, within(0.01)));
    }

    @Test
    void everySegmentHasItsProgramDateTime() {
        HlsPackager packager = packager(2, 6);
        Instant firstArrival = START.plusSeconds(100);
        feedRealTime(packager, sixSeconds, firstArrival);
        packager.end("test over");
        Playlist playlist = Playlist.parse(packager.playlist());
        assertThat(playlist.programDateTimes()).containsExactly(firstArrival, firstArrival.plusSeconds(2),
                firstArrival.plusSeconds(4));
    }

    @Test
    void reconnectContinuesThePlaylistAfterADiscontinuity() throws Exception {
        HlsPackager packager = packager(2, 3);
        feedRealTime(packager, sixSeconds, START);
        packager.end("publisher left");
        Playlist before = Playlist.parse(packager.playlist());
        assertThat(before.uris()).containsExactly("0.ts", "1.ts", "2.ts");
        long lastPtsBefore = lastVideoPts(packager, "2.ts");

        // The same publisher comes back: its timestamps restart from zero.
        Instant back = START.plusSeconds(30);
        feedRealTime(packager, sixSeconds, back);
        Playlist after = Playlist.parse(packager.playlist());
        // The new source's keyframes at 0, 2 and 4 s complete two segments, 3 and 4, numbered on from 2.
        assertThat(after.mediaSequence).isEqualTo(2);
        assertThat(after.uris()).containsExactly("2.ts", "3.ts", "4.ts");
        assertThat(after.discontinuityBefore).containsExactly(false, true, false);
        assertThat(after.discontinuitySequence).isZero();
        assertThat(after.programDateTimes().get(1)).isEqualTo(back);
        assertThat(firstVideoPts(packager, "3.ts")).as("timeline keeps increasing").isGreaterThan(lastPtsBefore);

        packager.end("publisher left again");
        feedRealTime(packager, sixSeconds, START.plusSeconds(60));
        Playlist later = Playlist.parse(packager.playlist());
        // 0-2, then 3-5, then 6 and 7 complete: the window is 5, 6, 7; the discontinuity before 3 slid out of it.
        assertThat(later.uris()).containsExactly("5.ts", "6.ts", "7.ts");
        assertThat(later.discontinuityBefore).containsExactly(false, true, false);
        assertThat(later.discontinuitySequence).isEqualTo(1);
    }

    @Test
    void timestampsRestartingWithoutEndAreADiscontinuityToo() throws Exception {
        HlsPackager packager = packager(2, 6);
        feedRealTime(packager, sixSeconds, START);
        // No end(): a source whose clock restarts at zero, as after a camera reboot.
        feedRealTime(packager, sixSeconds, START.plusSeconds(6));
        Playlist playlist = Playlist.parse(packager.playlist());
        assertThat(playlist.uris()).containsExactly("0.ts", "1.ts", "2.ts", "3.ts", "4.ts");
        assertThat(playlist.discontinuityBefore).containsExactly(false, false, false, true, false);
        assertThat(firstVideoPts(packager, "3.ts")).isGreaterThan(lastVideoPts(packager, "2.ts"));
        assertThat(playlist.durations()).allSatisfy(d -> assertThat(d).isCloseTo(2.0, within(0.002)));
    }

    @Test
    void malformedPacketsAreDroppedAndTheStreamGoesOn() {
        HlsPackager packager = packager(2, 6);
        List<MediaPacket> withGarbage = new ArrayList<>();
        byte[] garbage = {0x7F, 0, 0, 0, 1}; // a NAL length far beyond the sample
        boolean badKeyframeAdded = false;
        for (MediaPacket p : sixSeconds) {
            if (p.isVideo() && p.keyframe() && !p.config() && p.dtsMicros() >= 3_950_000 && !badKeyframeAdded) {
                // A broken keyframe just before the real one at 4 s must not start (and so cut short) a segment.
                withGarbage.add(new MediaPacket(p.track(), p.codec(), p.ptsMicros() - 2000, p.dtsMicros() - 2000,
                        true, false, garbage));
                badKeyframeAdded = true;
            }
            withGarbage.add(p);
            if (p.isVideo() && !p.config() && !p.keyframe() && p.dtsMicros() < 1_000_000) {
                withGarbage.add(new MediaPacket(p.track(), p.codec(), p.ptsMicros(), p.dtsMicros(), false, false,
                        garbage));
            }
        }
        feedRealTime(packager, withGarbage, START);
        packager.end("done");
        assertThat(packager.droppedPackets()).isEqualTo(withGarbage.size() - sixSeconds.size());
        assertThat(Playlist.parse(packager.playlist()).durations()).containsExactly(2.0, 2.0, 2.0);
    }

    @Test
    void settingsComeFromTheOutputSpec() {
        HlsSettings settings = HlsSettings.from(new com.streamloom.spec.OutputSpec(1.5, 4, null));
        assertThat(settings.segmentMicros()).isEqualTo(1_500_000);
        assertThat(settings.windowSegments()).isEqualTo(4);
        assertThat(HlsSettings.from(new com.streamloom.spec.OutputSpec(null, null, null)))
                .isEqualTo(new HlsSettings(2_000_000, 6, HlsSettings.DEFAULT_PART_MICROS, null));
        assertThatThrownBy(() -> new HlsSettings(500_000, 6, HlsSettings.DEFAULT_PART_MICROS, null))
                .hasMessageContaining("1 to 10 s");
        // A fractional target is announced as its ceiling (RFC 8216 4.3.3.1).
        assertThat(new HlsPackager("cam", settings, clock).snapshot().targetDurationSeconds()).isEqualTo(2);
    }

    private HlsPackager packager(int segmentSeconds, int window) {
        return new HlsPackager("cam", new HlsSettings(segmentSeconds * 1_000_000L, window,
                HlsSettings.DEFAULT_PART_MICROS, null), clock);
    }

    /** Feeds packets with the clock at {@code firstArrival} plus each packet's dts: a real-time source. */
    private void feedRealTime(HlsPackager packager, List<MediaPacket> packets, Instant firstArrival) {
        feedRealTime(clock, packager, packets, firstArrival, () -> { });
    }

    /** Feeds the packets at their timestamps' pace on the test clock, running {@code afterEach} after every one. */
    private void feedRealTime(HlsPackager packager, List<MediaPacket> packets, Instant firstArrival,
                              Runnable afterEach) {
        feedRealTime(clock, packager, packets, firstArrival, afterEach);
    }

    /** Likewise, on {@code clock}. */
    static void feedRealTime(SettableClock clock, HlsPackager packager, List<MediaPacket> packets,
                             Instant firstArrival) {
        feedRealTime(clock, packager, packets, firstArrival, () -> { });
    }

    private static void feedRealTime(SettableClock clock, HlsPackager packager, List<MediaPacket> packets,
                                     Instant firstArrival, Runnable afterEach) {
        long base = packets.stream().filter(p -> !p.config()).mapToLong(MediaPacket::dtsMicros).findFirst().orElse(0);
        long firstVideo = packets.stream().filter(p -> p.isVideo() && !p.config()).mapToLong(MediaPacket::dtsMicros)
                .findFirst().orElse(0);
        for (MediaPacket p : packets) {
            long at = p.config() ? base : p.dtsMicros();
            clock.set(firstArrival.plusNanos((at - firstVideo) * 1000));
            packager.accept(p);
            afterEach.run();
        }
    }

    private long firstVideoPts(HlsPackager packager, String name) throws Exception {
        return videoPts(packager, name).get(0);
    }

    private long lastVideoPts(HlsPackager packager, String name) throws Exception {
        List<Long> pts = videoPts(packager, name);
        return pts.stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private List<Long> videoPts(HlsPackager packager, String name) throws Exception {
        Path file = Files.createTempFile(dir, "probe", ".ts");
        Files.write(file, packager.segment(name).data());
        JsonNode packets = new ObjectMapper().readTree(PacketsForTests.run(PacketsForTests.ffprobe(), "-v", "error",
                "-select_streams", "v", "-show_packets", "-show_entries", "packet=pts", "-of", "json",
                file.toString())).get("packets");
        List<Long> pts = new ArrayList<>();
        packets.forEach(p -> pts.add(p.get("pts").asLong()));
        return pts;
    }

    /** Just enough of an RFC 8216 media playlist parser for assertions. */
    record Playlist(int targetDuration, long mediaSequence, long discontinuitySequence, List<Entry> entries,
                    List<Boolean> discontinuityBefore) {
        record Entry(String uri, double duration, Instant programDateTime, boolean discontinuity) {
        }

        static Playlist parse(String text) {
            assertThat(text).startsWith("#EXTM3U\n").doesNotContain("#EXT-X-ENDLIST");
            int target = -1;
            long sequence = -1;
            long discontinuitySequence = -1;
            List<Entry> entries = new ArrayList<>();
            double duration = -1;
            Instant pdt = null;
            boolean discontinuity = false;
            for (String line : text.split("\n")) {
                if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                    target = Integer.parseInt(line.substring(22));
                } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                    sequence = Long.parseLong(line.substring(22));
                } else if (line.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                    discontinuitySequence = Long.parseLong(line.substring(30));
                } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                    discontinuity = true;
                } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                    pdt = Instant.parse(line.substring(25));
                } else if (line.startsWith("#EXTINF:")) {
                    duration = Double.parseDouble(line.substring(8, line.indexOf(',')));
                } else if (!line.startsWith("#") && !line.isBlank()) {
                    assertThat(duration).as("EXTINF before " + line).isPositive();
                    assertThat(pdt).as("PROGRAM-DATE-TIME before " + line).isNotNull();
                    entries.add(new Entry(line, duration, pdt, discontinuity));
                    duration = -1;
                    pdt = null;
                    discontinuity = false;
                }
            }
            for (Entry e : entries) {
                assertThat(Math.round(e.duration)).as("RFC 8216 4.3.3.1").isLessThanOrEqualTo(target);
            }
            return new Playlist(target, sequence, discontinuitySequence, entries,
                    entries.stream().map(Entry::discontinuity).toList());
        }

        List<Double> durations() {
            return entries.stream().map(Entry::duration).toList();
        }

        List<String> uris() {
            return entries.stream().map(Entry::uri).toList();
        }

        List<Instant> programDateTimes() {
            return entries.stream().map(Entry::programDateTime).toList();
        }
    }
}
