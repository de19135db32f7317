package com.streamloom.media.hls;

import com.streamloom.media.testing.SettableClock;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static com.streamloom.media.hls.HlsPackagerTest.START;
import static com.streamloom.media.hls.HlsPackagerTest.feedRealTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LL-HLS parts (RFC 8216bis 4.4.4.9): a segment is its parts end to end, each whole transport packets starting with
 * the tables, and a blocking playlist reload waits for the part or segment it names.
 */
class HlsPartsTest {
    @TempDir
    static Path dir;
    /** 6 s at 30 fps, a keyframe every second. */
    static List<MediaPacket> sixSeconds;

    @BeforeAll
    static void encodeSources() {
        sixSeconds = PacketsForTests.packets(dir, "six", Source.small(6));
    }

    private final SettableClock clock = new SettableClock(START);

    private HlsPackager packager() {
        return new HlsPackager("cam", new HlsSettings(2_000_000L, 6, HlsSettings.DEFAULT_PART_MICROS, null), clock);
    }

    @Test
    void segmentsAreMadeOfPartsAndBlockingReloadWaitsForThem() {
        HlsPackager packager = packager();
        CompletableFuture<PlaylistSnapshot> secondSegment = packager.awaitPlaylist(1, -1);
        CompletableFuture<PlaylistSnapshot> firstPartOfSecond = packager.awaitPlaylist(1, 0);
        assertThatThrownBy(() -> packager.awaitPlaylist(9, -1)).isInstanceOf(IllegalArgumentException.class);
        List<MediaPacket> firstTwoSeconds = sixSeconds.stream().filter(p -> p.dtsMicros() < 2_400_000).toList();
        feedRealTime(clock, packager, firstTwoSeconds, START);

        assertThat(firstPartOfSecond).isCompleted();
        assertThat(secondSegment).isNotCompleted();
        HlsSegment segment = packager.segment("0.ts");
        assertThat(segment.parts()).hasSize(6);
        assertThat(segment.parts().get(0).independent()).isTrue();
        assertThat(segment.parts().stream().mapToInt(HlsPart::length).sum()).isEqualTo(segment.data().length);
        assertThat(segment.parts().stream().mapToLong(HlsPart::durationMicros).sum())
                .isEqualTo(segment.durationMicros());
        feedRealTime(clock, packager, sixSeconds.stream().filter(p -> p.dtsMicros() >= 2_400_000).toList(), START);
        assertThat(secondSegment).isCompleted();
    }

    @Test
    void partsAreWholeTransportPacketsAndIndependentPartsStartWithTables() throws Exception {
        // A keyframe every 10 frames (333 ms): every part starts with one, also in the middle of a segment.
        List<MediaPacket> shortGops = PacketsForTests.packets(dir, "gop10", Source.small(3).withKeyframeInterval(10));
        HlsPackager packager = packager();
        List<MediaPacket> firstSecond = shortGops.stream().filter(p -> p.config() || p.dtsMicros() < 1_000_000)
                .toList();
        feedRealTime(clock, packager, firstSecond, START);
        // Parts of the segment still being written are served from copies taken when they were cut.
        List<byte[]> pendingBefore = new ArrayList<>();
        for (int i = 0; i < packager.snapshot().pendingParts().size(); i++) {
            pendingBefore.add(bytes(packager.part(0, i)));
        }
        assertThat(pendingBefore).hasSizeGreaterThanOrEqualTo(2);
        assertThat(packager.part(0, pendingBefore.size())).as("not cut yet").isNull();
        feedRealTime(clock, packager, shortGops.stream().filter(p -> !p.config() && p.dtsMicros() >= 1_000_000).toList(),
                START);
        packager.end("done");

        HlsSegment segment = packager.segment("0.ts");
        assertThat(segment.parts()).hasSizeGreaterThan(3).allMatch(HlsPart::independent);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (HlsPart part : segment.parts()) {
            byte[] data = bytes(packager.part(0, part.index()));
            assertThat(data.length % TsMuxer.PACKET_SIZE).as("part %d", part.index()).isZero();
            for (int i = 0; i < data.length; i += TsMuxer.PACKET_SIZE) {
                assertThat(data[i]).as("sync byte").isEqualTo((byte) 0x47);
            }
            assertThat(pid(data, 0)).as("PAT first in part %d", part.index()).isEqualTo(TsMuxer.PID_PAT);
            assertThat(pid(data, 1)).as("PMT second in part %d", part.index()).isEqualTo(TsMuxer.PID_PMT);
            if (part.index() < pendingBefore.size()) {
                assertThat(data).as("pending copy of part %d", part.index()).isEqualTo(pendingBefore.get(part.index()));
            }
            joined.write(data);
        }
        assertThat(joined.toByteArray()).isEqualTo(segment.data());
        assertThat(packager.part(0, segment.parts().size())).isNull();
        // A player joining at a part in the middle of a segment can decode from there on.
        HlsPart third = segment.parts().get(2);
        Path fromThird = dir.resolve("from-third-part.ts");
        Files.write(fromThird, java.util.Arrays.copyOfRange(segment.data(), third.offset(), segment.data().length));
        assertThat(PacketsForTests.decodeErrors(fromThird)).isEmpty();
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        assertThat(buffer).isNotNull();
        byte[] data = new byte[buffer.remaining()];
        buffer.duplicate().get(data);
        return data;
    }

    private static int pid(byte[] ts, int packet) {
        int at = packet * TsMuxer.PACKET_SIZE;
        return ((ts[at + 1] & 0x1F) << 8) | (ts[at + 2] & 0xFF);
    }
}
