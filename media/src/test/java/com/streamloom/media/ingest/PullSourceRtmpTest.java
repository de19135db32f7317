package com.streamloom.media.ingest;

import com.streamloom.media.codec.H264Bitstream;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.RecordingSink;
import com.streamloom.media.testing.SyntheticPublisher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** RTMP pull from an origin (the ffmpeg program serving FLV over RTMP). */
class PullSourceRtmpTest {

    @Test
    void pullsVideoAndAudioFromAnRtmpOriginAndReconnectsWhenItReturns() {
        String url = "rtmp://127.0.0.1:" + Ports.free() + "/live/origin";
        RecordingSink sink = new RecordingSink();
        PullSettings settings = PullSettings.defaults()
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
        PullSource source = new PullSource("origin", url, settings, sink);
        try (source) {
            try (SyntheticPublisher origin = SyntheticPublisher.builder().colour("blue").toneHz(1000).serveAt(url)) {
                // The origin may still be starting: the pull's retries cover that, as with a real origin.
                source.start();
                await().atMost(Duration.ofSeconds(15)).until(() -> sink.videoPictures() >= 30
                        && sink.audioFrames() >= 30);
                assertThat(origin.isRunning()).as(origin.log()).isTrue();
            }
            List<MediaPacket> video = sink.packets(MediaPacket::isVideo);
            assertThat(video.get(0).config()).isTrue();
            H264Bitstream.AvcConfig config = H264Bitstream.AvcConfig.parse(video.get(0).data());
            // libx264's default High profile: the record carries the chroma/bit-depth extension.
            assertThat(H264Bitstream.spsInfo(config.sps().get(0)).profileIdc()).isEqualTo(100);
            assertThat(video.get(1).keyframe()).isTrue();
            PullSourceRtspTest.assertAvccPictures(video);
            PullSourceRtspTest.assertStrictlyIncreasingDts(video.stream().filter(p -> !p.config()).toList());

            List<MediaPacket> audio = sink.packets(MediaPacket::isAudio);
            assertThat(audio.get(0).config()).isTrue();
            assertThat(audio.get(0).data()).startsWith((byte) 0x11, (byte) 0x88); // AAC LC, 48 kHz, mono
            assertThat(audio.get(1).data()[0] & 0xFF).as("raw AAC, no ADTS header").isNotEqualTo(0xFF);
            PullSourceRtspTest.assertStrictlyIncreasingDts(audio.stream().filter(p -> !p.config()).toList());

            // The origin went away (its ffmpeg ended): the pull reports it and reconnects when it is back.
            await().atMost(Duration.ofSeconds(5)).until(() -> source.state() == PullSource.State.RECONNECTING
                    && !sink.endReasons().isEmpty());
            long lastDts = sink.packets().get(sink.packets().size() - 1).dtsMicros();
            long before = sink.videoPictures();
            try (SyntheticPublisher origin = SyntheticPublisher.builder().colour("red").toneHz(0).serveAt(url)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> sink.videoPictures() >= before + 15);
                assertThat(sink.currentSession().get(0).dtsMicros()).isGreaterThan(lastDts);
                assertThat(sink.currentSession().get(0).config()).isTrue();
            }
        }
        assertThat(source.worker().isAlive()).isFalse();
    }
}
