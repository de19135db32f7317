package com.streamloom.media.codec;

import com.streamloom.media.testing.MediaFileReader;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.GeneratedMedia;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why the decoder uses slice threads with AV_CODEC_FLAG_LOW_DELAY (latency): measured here as
 * the number of packets a decoder holds before the matching picture comes out, on a stream without B-frames
 * (what OBS and our encoder send with zerolatency).
 */
class DecoderLatencyTest {

    private static int maxPacketsHeld(VideoDecoder.Options options) {
        List<MediaPacket> video = MediaFileReader.read(GeneratedMedia.flashAndBeep(), 0).stream()
                .filter(MediaPacket::isVideo).toList();
        int in = 0;
        int out = 0;
        int maxHeld = 0;
        int[] got = {0};
        try (VideoDecoder d = new VideoDecoder(options)) {
            for (MediaPacket p : video) {
                d.decode(p, f -> {
                    f.close();
                    got[0]++;
                });
                if (!p.config()) {
                    in++;
                }
                out = got[0];
                maxHeld = Math.max(maxHeld, in - out);
            }
            d.flush(VideoFrame::close);
        }
        return maxHeld;
    }

    @Test
    void sliceThreadsWithLowDelayOutputEachPictureForItsOwnPacket() {
        assertThat(maxPacketsHeld(VideoDecoder.Options.lowLatency())).isZero();
    }

    @Test
    void frameThreadsHoldPacketsAndAddDelay() {
        // Two frame threads: libavcodec returns a picture only once the next packet is in flight, so one packet
        // (33 ms at 30 fps) of latency is added for a little more throughput: kept for offline benchmarks only.
        assertThat(maxPacketsHeld(new VideoDecoder.Options(VideoDecoder.Threading.FRAME, 2))).isGreaterThanOrEqualTo(1);
    }
}
