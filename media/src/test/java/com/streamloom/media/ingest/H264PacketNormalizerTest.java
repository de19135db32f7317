package com.streamloom.media.ingest;

import com.streamloom.media.codec.H264Bitstream;
import com.streamloom.media.codec.H264Bitstream.AvcConfig;
import com.streamloom.media.packet.MediaPacket;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pulled H.264 reaches the pipeline as configuration then keyframes, whatever its framing; bad framing is refused with a reason.
 */
class H264PacketNormalizerTest {
    private static final HexFormat HEX = HexFormat.of();
    // A real baseline SPS (320x240) and PPS from x264, and a second SPS with another level (a "new" stream).
    private static final byte[] SPS = HEX.parseHex("6742c00dd90141fb011000000300100000030320f1429920");
    private static final byte[] SPS_OTHER_LEVEL = HEX.parseHex("6742c01ed90141fb011000000300100000030320f1429920");
    private static final byte[] PPS = HEX.parseHex("68cb83cb20");
    private static final byte[] IDR = HEX.parseHex("65888400ff");
    private static final byte[] P = HEX.parseHex("419a2244");

    @Test
    void annexBWithParameterSetsInExtradataGivesConfigThenKeyframe() {
        H264PacketNormalizer n = new H264PacketNormalizer(H264Bitstream.joinAnnexB(List.of(SPS, PPS)));
        List<MediaPacket> out = n.normalize(H264Bitstream.joinAnnexB(List.of(IDR)), 100, 100, false);
        assertThat(out).hasSize(2);
        assertThat(out.get(0).config()).isTrue();
        AvcConfig config = AvcConfig.parse(out.get(0).data());
        assertThat(config.sps()).containsExactly(SPS);
        assertThat(config.pps()).containsExactly(PPS);
        assertThat(out.get(1).keyframe()).isTrue();
        assertThat(out.get(1).data()).isEqualTo(H264Bitstream.joinAvcc(List.of(IDR)));
        assertThat(n.normalize(H264Bitstream.joinAnnexB(List.of(P)), 133, 133, false))
                .singleElement().satisfies(p -> assertThat(p.keyframe()).isFalse());
    }

    @Test
    void picturesBeforeTheFirstKeyframeAreDropped() {
        H264PacketNormalizer n = new H264PacketNormalizer(null);
        assertThat(n.normalize(H264Bitstream.joinAnnexB(List.of(P)), 0, 0, false)).isEmpty();
        // In-band parameter sets arrive with the IDR: config first, then the picture without them.
        List<MediaPacket> out = n.normalize(H264Bitstream.joinAnnexB(List.of(SPS, PPS, IDR)), 33, 33, false);
        assertThat(out).extracting(MediaPacket::config).containsExactly(true, false);
        assertThat(H264Bitstream.splitLengthPrefixed(out.get(1).data(), 4)).containsExactly(IDR);
        assertThat(n.dropped()).isEqualTo(1);
    }

    @Test
    void repeatedParameterSetsDoNotRepeatTheConfigButChangedOnesDo() {
        H264PacketNormalizer n = new H264PacketNormalizer(null);
        n.normalize(H264Bitstream.joinAnnexB(List.of(SPS, PPS, IDR)), 0, 0, false);
        assertThat(n.normalize(H264Bitstream.joinAnnexB(List.of(SPS, PPS, IDR)), 33, 33, false))
                .extracting(MediaPacket::config).containsExactly(false);
        List<MediaPacket> changed = n.normalize(H264Bitstream.joinAnnexB(List.of(SPS_OTHER_LEVEL, PPS, IDR)), 66, 66,
                false);
        assertThat(changed).extracting(MediaPacket::config).containsExactly(true, false);
        assertThat(AvcConfig.parse(changed.get(0).data()).sps()).containsExactly(SPS_OTHER_LEVEL);
    }

    @Test
    void avccInputWithTwoByteLengthsIsRewrittenToFourByteLengths() {
        byte[] avcC = new AvcConfig(List.of(SPS), List.of(PPS), 2).toBytes();
        H264PacketNormalizer n = new H264PacketNormalizer(avcC);
        byte[] twoByteLengths = HEX.parseHex("0005" + HEX.formatHex(IDR));
        List<MediaPacket> out = n.normalize(twoByteLengths, 0, 0, true);
        assertThat(out).hasSize(2);
        assertThat(AvcConfig.parse(out.get(0).data()).nalLengthSize()).isEqualTo(4);
        assertThat(out.get(1).data()).isEqualTo(H264Bitstream.joinAvcc(List.of(IDR)));
    }

    @Test
    void malformedFramingIsRejectedWithAReason() {
        H264PacketNormalizer n = new H264PacketNormalizer(new AvcConfig(List.of(SPS), List.of(PPS), 4).toBytes());
        assertThatThrownBy(() -> n.normalize(HEX.parseHex("000000ff65"), 0, 0, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
    }
}
