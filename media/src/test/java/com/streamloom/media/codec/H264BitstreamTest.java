package com.streamloom.media.codec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Annex B ↔ AVCC and the avcC record (ISO/IEC 14496-15 5.2.4.1), byte by byte. */
class H264BitstreamTest {
    private static final byte[] SPS = {0x67, 0x42, (byte) 0xc0, 0x1e, (byte) 0xda, 0x02};
    private static final byte[] PPS = {0x68, (byte) 0xce, 0x3c, (byte) 0x80};

    @Test
    void convertsThreeAndFourByteStartCodesToLengthPrefixes() {
        byte[] annexB = {
                0, 0, 0, 1, 0x09, (byte) 0xf0,          // 4-byte start code, access unit delimiter
                0, 0, 1, 0x65, 0x11, 0x22, 0x00,        // 3-byte start code, IDR slice ending in a zero byte
                0, 0, 0, 1, 0x06, 0x05                  // SEI
        };
        byte[] avcc = H264Bitstream.annexBToAvcc(annexB);
        assertThat(avcc).containsExactly(
                0, 0, 0, 2, 0x09, (byte) 0xf0,
                0, 0, 0, 3, 0x65, 0x11, 0x22,           // trailing zero belongs to the next start code
                0, 0, 0, 2, 0x06, 0x05);
        assertThat(H264Bitstream.splitAvcc(avcc)).hasSize(3);
    }

    @Test
    void buildsAvcDecoderConfigurationRecordFromAnnexBSpsPps() {
        byte[] extradata = new byte[4 + SPS.length + 4 + PPS.length];
        extradata[3] = 1;
        System.arraycopy(SPS, 0, extradata, 4, SPS.length);
        extradata[4 + SPS.length + 3] = 1;
        System.arraycopy(PPS, 0, extradata, 8 + SPS.length, PPS.length);
        byte[] rec = H264Bitstream.avcDecoderConfigurationRecord(extradata);
        assertThat(rec).containsExactly(
                1,                                      // configurationVersion
                0x42, (byte) 0xc0, 0x1e,                // profile, compatibility, level from the SPS
                (byte) 0xff,                            // 4-byte NAL lengths
                (byte) 0xe1, 0, 6, 0x67, 0x42, (byte) 0xc0, 0x1e, (byte) 0xda, 0x02,   // one SPS
                1, 0, 4, 0x68, (byte) 0xce, 0x3c, (byte) 0x80);                      // one PPS
        assertThat(H264Bitstream.avcDecoderConfigurationRecord(rec)).isSameAs(rec);
    }

    @Test
    void rejectsExtradataWithoutParameterSetsAndOverrunningLengths() {
        assertThatThrownBy(() -> H264Bitstream.avcDecoderConfigurationRecord(new byte[]{0, 0, 1, 0x65, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no SPS and PPS");
        assertThatThrownBy(() -> H264Bitstream.splitAvcc(new byte[]{0, 0, 0, 9, 0x65}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overruns");
        assertThatThrownBy(() -> H264Bitstream.splitAvcc(new byte[]{0, 0, 0, 1, 0x65, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stray");
    }

    @Test
    void keyframePolicyForcesFirstFrameAtEachBoundaryAndAfterReset() {
        KeyframePolicy k = KeyframePolicy.atSegmentBoundaries(1_000_000);
        assertThat(List.of(k.forceKeyframe(500_000), k.forceKeyframe(966_000), k.forceKeyframe(1_000_000),
                k.forceKeyframe(1_033_000), k.forceKeyframe(2_010_000))).containsExactly(true, false, true, false, true);
        assertThat(k.forceKeyframe(100_000)).as("time went backwards: a new timeline").isTrue();
        k.reset();
        assertThat(k.forceKeyframe(5_500_000)).isTrue();
        assertThat(k.forceKeyframe(5_900_000)).isFalse();
        assertThat(k.forceKeyframe(6_000_000)).isTrue();
    }
}
