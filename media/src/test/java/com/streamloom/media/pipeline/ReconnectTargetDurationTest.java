package com.streamloom.media.pipeline;

import com.streamloom.media.testing.MediaFileReader;
import com.streamloom.media.testing.SettableClock;
import com.streamloom.media.codec.KeyframePolicy;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSegment;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.media.testing.GeneratedMedia;
import com.streamloom.spec.EncodingSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A publisher that reconnects keeps the HLS target duration: GOPs restart with it (RFC 8216 4.3.3.1). */
class ReconnectTargetDurationTest {

    @Test
    void segmentsAfterAReconnectStartAtKeyframesAndKeepTheTarget() {
        // 5 s of video; the second publication is placed right after the first (at about 5.03 s), between two
        // multiples of the 2 s segment duration.
        List<MediaPacket> source = MediaFileReader.read(GeneratedMedia.testPattern(320, 240, 30, 5), 0);
        HlsPackager packager = new HlsPackager("again", new HlsSettings(2_000_000, 10,
                HlsSettings.DEFAULT_PART_MICROS, null), new SettableClock(Instant.parse("2026-01-02T03:04:05Z")));
        Set<Integer> targets = new ConcurrentSkipListSet<>();
        MediaSink watched = new MediaSink() {
            @Override
            public void accept(MediaPacket packet) {
                packager.accept(packet);
                targets.add(packager.snapshot().targetDurationSeconds());
            }

            @Override
            public void end(String reason) {
                packager.end(reason);
                targets.add(packager.snapshot().targetDurationSeconds());
            }
        };
        try (StreamProcessor p = StreamProcessor.builder("again")
                .encoding(new EncodingSpec("ultrafast", 800, 0, "copy"))
                .keyframes(KeyframePolicy.atSegmentBoundaries(2_000_000))
                .output(watched).blockWhenFull(true).build().start()) {
            source.forEach(p::accept);
            p.end("publisher disconnected");
            source.forEach(p::accept);
            p.end("publisher disconnected");
            await().atMost(Duration.ofSeconds(30)).until(() -> p.discontinuities() == 2 && p.isIdle());
        }
        List<HlsSegment> segments = packager.snapshot().segments();
        assertThat(targets).containsExactly(2);
        assertThat(segments).hasSizeGreaterThanOrEqualTo(6);
        assertThat(segments).allSatisfy(s -> {
            assertThat(s.independent()).as("segment %d starts with a keyframe", s.sequence()).isTrue();
            assertThat(s.durationMicros()).as("segment %d", s.sequence()).isLessThanOrEqualTo(2_005_000);
        });
        assertThat(segments.stream().filter(HlsSegment::discontinuity)).hasSize(1);
    }
}
