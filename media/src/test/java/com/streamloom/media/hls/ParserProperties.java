package com.streamloom.media.hls;

import com.streamloom.media.packet.MediaPacket;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad bytes from a publisher give a clear IllegalArgumentException, never another exception or a partial write. */
class ParserProperties {
    private static final byte[] AVCC_CONFIG = {
        1, 0x42, (byte) 0xC0, 0x1E, (byte) 0xFF,  // version 1, Baseline, compat, level 3.0, 4-byte NAL lengths
        (byte) 0xE1, 0, 4, 0x67, 0x42, 0, 0x1E,     // one SPS of 4 bytes
        1, 0, 2, 0x68, (byte) 0xCE                   // one PPS of 2 bytes
    };

    @Property(tries = 2000)
    void avcConfigParsesOrRejects(@ForAll @Size(max = 64) byte[] record) {
        try {
            AvcConfig config = AvcConfig.parse(record);
            assertThat(config.sps()).isNotEmpty();
            assertThat(config.pps()).isNotEmpty();
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).startsWith("avcC");
        }
    }

    @Property(tries = 2000)
    void avccSamplesConvertOrReject(@ForAll @Size(max = 256) byte[] sample, @ForAll boolean keyframe) {
        AvcConfig config = AvcConfig.parse(AVCC_CONFIG);
        try {
            byte[] annexB = config.toAnnexB(sample, keyframe);
            assertThat(annexB).startsWith(0, 0, 0, 1, 9, (byte) 0xF0);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).startsWith("AVCC sample");
        }
    }

    @Property(tries = 2000)
    void audioSpecificConfigParsesOrRejects(@ForAll @Size(max = 8) byte[] asc) {
        try {
            AacConfig config = AacConfig.parse(asc);
            assertThat(config.toAdts(new byte[10])).hasSize(17);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).startsWith("AudioSpecificConfig");
        }
    }

    @Property(tries = 500)
    void muxerWritesWholePacketsOrNothing(@ForAll @Size(max = 600) byte[] sample, @ForAll boolean video) {
        TsMuxer muxer = new TsMuxer();
        muxer.configure(MediaPacket.videoConfig(MediaPacket.Codec.H264, 0, AVCC_CONFIG));
        muxer.configure(MediaPacket.audioConfig(0, new byte[] {0x11, (byte) 0x90}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MediaPacket packet = new MediaPacket(video ? MediaPacket.Track.VIDEO : MediaPacket.Track.AUDIO,
                video ? MediaPacket.Codec.H264 : MediaPacket.Codec.AAC, 1_000_000, 1_000_000, true, false, sample);
        try {
            muxer.write(packet, out);
            assertThat(out.size()).isPositive();
        } catch (IllegalArgumentException expected) {
            assertThat(out.size()).isZero();
        }
        assertThat(out.size() % TsMuxer.PACKET_SIZE).isZero();
    }
}
