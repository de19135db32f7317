package com.streamloom.media.hls;

import com.streamloom.media.hls.HlsPackagerTest.Playlist;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import com.streamloom.media.testing.SettableClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static com.streamloom.media.hls.HlsPackagerTest.feedRealTime;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A playlist's numbers never go back across a node restart: media sequence from the wall clock, discontinuity
 * sequence from the node's record, and the first segment after the restart marked as a discontinuity.
 */
class HlsPackagerRestartTest {
    private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
    private static final HlsSettings SETTINGS = new HlsSettings(2_000_000L, 3, HlsSettings.DEFAULT_PART_MICROS, null);
    @TempDir
    static Path media;
    /** 6 s and 12 s at 30 fps, a keyframe every second. */
    static List<MediaPacket> sixSeconds;
    static List<MediaPacket> twelveSeconds;

    @TempDir
    Path state;
    private final SettableClock clock = new SettableClock(START);

    @BeforeAll
    static void encodeSources() {
        sixSeconds = PacketsForTests.packets(media, "six", Source.small(6));
        twelveSeconds = PacketsForTests.packets(media, "twelve", Source.small(12));
    }

    /** A node process: a fresh store over the same directory, a packager numbered from the wall clock. */
    private HlsPackager startNode(Instant at) {
        clock.set(at);
        return new HlsPackager("cam", SETTINGS, clock, HlsPackager.wallClockSequence(clock),
                new DiscontinuityStore(state));
    }

    @Test
    void aRestartedPackagerContinuesBothSequencesAndMarksTheGap() {
        HlsPackager before = startNode(START);
        feedRealTime(clock, before, sixSeconds, START);
        before.end("publisher left");
        feedRealTime(clock, before, sixSeconds, START.plusSeconds(8));
        Playlist old = Playlist.parse(before.playlist());
        long oldLast = old.discontinuitySequence() + old.discontinuityBefore().stream().filter(d -> d).count();
        assertThat(oldLast).as("one reconnect, one discontinuity").isEqualTo(1);

        // The node dies (no close: a crash records nothing more) and starts again 10 s later.
        HlsPackager after = startNode(START.plusSeconds(24));
        feedRealTime(clock, after, sixSeconds, START.plusSeconds(24));
        Playlist restarted = Playlist.parse(after.playlist());
        assertThat(restarted.mediaSequence()).as("media sequence never goes back")
                .isGreaterThan(old.mediaSequence() + old.uris().size() - 1);
        assertThat(restarted.discontinuityBefore()).as("the gap to what a player saw before is marked")
                .startsWith(true).containsOnlyOnce(true);
        assertThat(restarted.discontinuitySequence()).as("EXT-X-DISCONTINUITY-SEQUENCE never goes back")
                .isEqualTo(oldLast);
        // the new segments lie in a discontinuity domain of their own, above every one the old playlist used
        assertThat(restarted.discontinuitySequence() + 1).isGreaterThan(oldLast);

        // A second restart without any reconnect in between still moves on by one, and stays a small number.
        HlsPackager again = startNode(START.plusSeconds(40));
        feedRealTime(clock, again, sixSeconds, START.plusSeconds(40));
        Playlist third = Playlist.parse(again.playlist());
        assertThat(third.discontinuityBefore()).startsWith(true);
        assertThat(third.discontinuitySequence()).isEqualTo(oldLast + 1);
        assertThat(third.mediaSequence()).isGreaterThan(restarted.mediaSequence() + restarted.uris().size() - 1);
    }

    @Test
    void theFirstPlaylistOfAStreamStartsAtZeroWithoutAGap() {
        HlsPackager first = startNode(START);
        feedRealTime(clock, first, sixSeconds, START);
        Playlist playlist = Playlist.parse(first.playlist());
        assertThat(playlist.discontinuitySequence()).isZero();
        assertThat(playlist.discontinuityBefore()).as("a fresh playlist has no gap inside it").doesNotContain(true);
        assertThat(new DiscontinuityStore(state).last("cam")).as("recorded, so a restart knows it existed")
                .hasValue(0);
    }

    @Test
    void aPlaylistThatSlidesPastTheRestartKeepsCounting() {
        HlsPackager before = startNode(START);
        feedRealTime(clock, before, sixSeconds, START);
        HlsPackager after = startNode(START.plusSeconds(10));
        feedRealTime(clock, after, twelveSeconds, START.plusSeconds(10));
        // Window of 3 of the 5 segments published: the restart's marked segment has slid out; the header counts it.
        Playlist playlist = Playlist.parse(after.playlist());
        assertThat(playlist.discontinuityBefore()).doesNotContain(true);
        assertThat(playlist.discontinuitySequence()).isEqualTo(1);

        after.end("publisher left");
        feedRealTime(clock, after, sixSeconds, START.plusSeconds(30));
        assertThat(Playlist.parse(after.playlist()).discontinuityBefore()).contains(true);
        assertThat(new DiscontinuityStore(state).last("cam")).as("the reconnect is recorded too").hasValue(2);
    }

    @Test
    void anUnreadableRecordStartsAfreshInsteadOfFailingTheStream() throws Exception {
        Files.writeString(state.resolve("cam.discontinuity"), "not a number");
        HlsPackager packager = startNode(START);
        feedRealTime(clock, packager, sixSeconds, START);
        assertThat(Playlist.parse(packager.playlist()).discontinuitySequence()).isZero();
        assertThat(new DiscontinuityStore(state).last("cam")).hasValue(0);
    }
}
