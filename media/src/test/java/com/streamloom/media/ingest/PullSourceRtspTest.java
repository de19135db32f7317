package com.streamloom.media.ingest;

import com.streamloom.media.codec.H264Bitstream;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.RecordingSink;
import com.streamloom.media.testing.RtspCamera;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pulling a real RTSP camera (GStreamer's RTSP server) over TCP and UDP, and surviving its loss. */
class PullSourceRtspTest {
    private static final PullSettings FAST = PullSettings.defaults()
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));

    private static RtspCamera camera;

    @BeforeAll
    static void startCamera() {
        camera = RtspCamera.builder().size(320, 240).fps(30).audioHz(1000).start();
    }

    @AfterAll
    static void stopCamera() {
        if (camera != null) {
            camera.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void receivesConfigThenKeyframeThenPicturesWithIncreasingTimestamps(String transport) {
        RecordingSink sink = new RecordingSink();
        PullSource source = new PullSource("cam-" + transport, camera.url(), FAST.withRtspTransport(transport), sink);
        try (source) {
            source.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.videoPictures() >= 30 && sink.audioFrames() >= 20);
            assertThat(source.state()).isEqualTo(PullSource.State.LIVE);
        }
        assertThat(source.state()).isEqualTo(PullSource.State.STOPPED);
        assertThat(source.worker().isAlive()).isFalse();

        List<MediaPacket> video = sink.packets(MediaPacket::isVideo);
        assertThat(video.get(0).config()).as("avcC config first").isTrue();
        H264Bitstream.AvcConfig config = H264Bitstream.AvcConfig.parse(video.get(0).data());
        assertThat(H264Bitstream.spsInfo(config.sps().get(0)).profileIdc()).isEqualTo(66); // the camera's baseline
        assertThat(video.get(1).config()).isFalse();
        assertThat(video.get(1).keyframe()).as("first picture is a keyframe").isTrue();
        assertAvccPictures(video);
        assertStrictlyIncreasingDts(video.stream().filter(p -> !p.config()).toList());
        // 30 fps: about 33 ms between pictures on the microsecond clock.
        long span = video.get(video.size() - 1).dtsMicros() - video.get(1).dtsMicros();
        assertThat(span / (double) (video.size() - 2)).isBetween(25_000.0, 45_000.0);

        List<MediaPacket> audio = sink.packets(MediaPacket::isAudio);
        assertThat(audio.get(0).config()).as("AudioSpecificConfig first").isTrue();
        assertThat(audio.get(0).data()).startsWith((byte) 0x11, (byte) 0x88); // AAC LC, 48 kHz, mono
        assertStrictlyIncreasingDts(audio.stream().filter(p -> !p.config()).toList());
    }

    /** Over UDP no connection reset reaches the data path: the read timeout must notice the silence. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void cameraGoingAwayMeansReconnectingAndItsReturnMeansPacketsAgain(String transport) {
        try (RtspCamera ownCamera = RtspCamera.builder().pattern("ball").start()) {
            RecordingSink sink = new RecordingSink();
            PullSource source = new PullSource("comeback-" + transport, ownCamera.url(),
                    FAST.withRtspTransport(transport), sink);
            try (source) {
                source.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> sink.videoPictures() >= 10);
                long lastDtsBefore = sink.packets().get(sink.packets().size() - 1).dtsMicros();

                ownCamera.stop();
                await().atMost(Duration.ofSeconds(6)).until(() -> source.state() == PullSource.State.RECONNECTING
                        && source.lastError() != null && !sink.endReasons().isEmpty());
                assertThat(source.worker().isAlive()).isTrue();
                long picturesWhileDown = sink.videoPictures();

                ownCamera.start();
                await().atMost(Duration.ofSeconds(15)).until(() -> sink.videoPictures() >= picturesWhileDown + 10);
                assertThat(source.state()).isEqualTo(PullSource.State.LIVE);
                List<MediaPacket> after = sink.currentSession();
                assertThat(after.get(0).config()).as("a fresh session starts with its config").isTrue();
                assertThat(after.stream().filter(p -> p.isVideo() && !p.config()).findFirst().orElseThrow()
                        .keyframe()).isTrue();
                assertThat(after.get(0).dtsMicros()).as("the clock continues after the gap")
                        .isGreaterThan(lastDtsBefore);
                assertThat(source.status().sessions()).isGreaterThanOrEqualTo(2);
            }
            assertThat(source.state()).isEqualTo(PullSource.State.STOPPED);
            assertThat(source.worker().isAlive()).isFalse();
        }
    }

    static void assertAvccPictures(List<MediaPacket> video) {
        for (MediaPacket p : video) {
            if (!p.config()) {
                List<byte[]> nals = H264Bitstream.splitLengthPrefixed(p.data(), 4);
                assertThat(nals).isNotEmpty();
                assertThat(nals).noneMatch(n -> H264Bitstream.nalType(n) == H264Bitstream.NAL_SPS
                        || H264Bitstream.nalType(n) == H264Bitstream.NAL_PPS);
            }
        }
    }

    static void assertStrictlyIncreasingDts(List<MediaPacket> packets) {
        assertThat(packets).isNotEmpty();
        for (int i = 1; i < packets.size(); i++) {
            assertThat(packets.get(i).dtsMicros()).as("dts of packet %d", i)
                    .isGreaterThan(packets.get(i - 1).dtsMicros());
            assertThat(packets.get(i).ptsMicros()).isGreaterThanOrEqualTo(packets.get(i).dtsMicros());
        }
    }
}
