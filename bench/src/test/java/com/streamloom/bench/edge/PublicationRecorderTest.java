package com.streamloom.bench.edge;

import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import com.streamloom.media.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark learns each frame's arrival, part and segment publication from the packager's public snapshot. */
class PublicationRecorderTest {
    private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void recordsEachFramesArrivalAndWhenItsPartAndSegmentWerePublished(@TempDir Path dir) {
        // 6 s at 30 fps with a keyframe every second, cut into 2 s segments of 1/3 s parts.
        List<MediaPacket> packets = PacketsForTests.packets(dir, "six", Source.small(6));
        SettableClock clock = new SettableClock(START);
        HlsPackager packager = new HlsPackager("cam", new HlsSettings(2_000_000, 6,
                HlsSettings.DEFAULT_PART_MICROS, null), clock);
        PublicationRecorder recorder = new PublicationRecorder(packager, clock);
        long firstVideo = packets.stream().filter(p -> p.isVideo() && !p.config()).mapToLong(MediaPacket::dtsMicros)
                .findFirst().orElseThrow();
        for (MediaPacket p : packets) {
            clock.set(START.plusNanos((Math.max(p.dtsMicros(), firstVideo) - firstVideo) * 1000));
            recorder.accept(p);
        }

        List<SegmentInfo> published = recorder.segments();
        assertThat(published).hasSize(2); // the third is published by the next keyframe, which never comes
        SegmentInfo first = published.get(0);
        assertThat(first.sequence()).isZero();
        assertThat(first.videoFrames()).isEqualTo(60);
        assertThat(first.firstFrameArrival()).isEqualTo(START);
        assertThat(first.lastFrameArrival()).isBefore(first.publishedAt());
        // Published when the keyframe that starts the next segment arrived: 2 s after the first frame.
        assertThat(first.publishedAt()).isEqualTo(START.plusSeconds(2));
        // The first part (10 frames) was published when the 11th frame arrived; the last part with the segment.
        long[] parts = first.framePartsPublishedMicros();
        long[] arrivals = first.frameArrivalsMicros();
        assertThat(parts[0]).isEqualTo(arrivals[10]);
        assertThat(parts[59]).isEqualTo(SegmentInfo.epochMicros(first.publishedAt()));
        for (int f = 0; f < 60; f++) {
            assertThat(parts[f]).as("frame %d", f).isGreaterThan(arrivals[f]);
        }

        recorder.end("done");
        assertThat(recorder.segments()).hasSize(3);
        assertThat(recorder.segments().get(2).videoFrames()).isEqualTo(60);
    }
}
