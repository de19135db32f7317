package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaPacket.Codec;
import com.streamloom.media.packet.MediaPacket.Track;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** FLV/Enhanced RTMP tag bodies ↔ MediaPacket. */
class FlvTagsTest {

    @Property(tries = 200)
    void videoTagBodyRoundTrips(@ForAll boolean hevc, @ForAll boolean config, @ForAll boolean keyframe,
                                @ForAll @LongRange(min = 0, max = 1L << 40) long dtsMillis,
                                @ForAll @IntRange(min = -1000, max = 1000) int compositionMillis,
                                @ForAll byte[] data) {
        Codec codec = hevc ? Codec.HEVC : Codec.H264;
        long dts = dtsMillis * 1000;
        MediaPacket packet = config ? MediaPacket.videoConfig(codec, dts, data)
                : new MediaPacket(Track.VIDEO, codec, dts + compositionMillis * 1000L, dts, keyframe, false, data);
        MediaPacket back = FlvTags.videoPacket(FlvTags.tagBody(packet), dts);
        assertThat(RtmpServerSessionTest.describe(back)).isEqualTo(RtmpServerSessionTest.describe(packet));
    }

    @Property(tries = 50)
    void audioTagBodyRoundTrips(@ForAll boolean config, @ForAll byte[] data) {
        MediaPacket packet = config ? MediaPacket.audioConfig(5000, data)
                : new MediaPacket(Track.AUDIO, Codec.AAC, 5000, 5000, true, false, data);
        MediaPacket back = FlvTags.audioPacket(FlvTags.tagBody(packet), 5000);
        assertThat(RtmpServerSessionTest.describe(back)).isEqualTo(RtmpServerSessionTest.describe(packet));
    }

    @Test
    void acceptsLegacyHevcCodecId12() {
        MediaPacket p = FlvTags.videoPacket(new byte[] {
                0x1C,                            // keyframe, codec id 12 (HEVC in the pre-Enhanced-RTMP convention)
                0x01,                            // NAL units
                0x00, 0x00, 0x00,                // composition time 0
                0x00, 0x00, 0x00, 0x01, 0x26}, 0);
        assertThat(p.codec()).isEqualTo(Codec.HEVC);
        assertThat(p.keyframe()).isTrue();
    }

    @Test
    void skipsSequenceEndAndCommandFramesAndOtherCodecs() {
        assertThat(FlvTags.videoPacket(new byte[] {0x17, 0x02, 0, 0, 0}, 0)).isNull();       // AVC end of sequence
        assertThat(FlvTags.videoPacket(new byte[] {0x57, 0x00}, 0)).isNull();                // video command frame
        assertThat(FlvTags.videoPacket(new byte[] {0x12, 0x00, 0x00}, 0)).isNull();          // Sorenson H.263
        assertThat(FlvTags.audioPacket(new byte[] {0x2F, 0x00}, 0)).isNull();                // MP3
    }

    @Test
    void rejectsBodiesTooShortForTheirHeader() {
        assertThatThrownBy(() -> FlvTags.videoPacket(new byte[] {0x17, 0x01}, 0))           // AVC without CTO
                .isInstanceOf(RtmpProtocolException.class);
        assertThatThrownBy(() -> FlvTags.videoPacket(new byte[] {(byte) 0x91, 'h', 'v'}, 0)) // cut FourCC
                .isInstanceOf(RtmpProtocolException.class);
        assertThatThrownBy(() -> FlvTags.audioPacket(new byte[] {(byte) 0xAF}, 0))           // AAC without type
                .isInstanceOf(RtmpProtocolException.class);
    }

    @Test
    void rtmpUrlSplitsAppAndKeyAndHidesTheKey() {
        RtmpUrl url = RtmpUrl.parse("rtmp://compositor:1936/live/s3cret?token=x");
        assertThat(url.host()).isEqualTo("compositor");
        assertThat(url.port()).isEqualTo(1936);
        assertThat(url.app()).isEqualTo("live");
        assertThat(url.streamName()).isEqualTo("s3cret?token=x");
        assertThat(url.tcUrl()).isEqualTo("rtmp://compositor:1936/live");
        assertThat(url.toString()).doesNotContain("s3cret");
        assertThat(RtmpUrl.parse("rtmp://h/app/k").port()).isEqualTo(1935);
        assertThatThrownBy(() -> RtmpUrl.parse("rtmp://h/app")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rtmpsUrlMeansTlsWithPort443UnlessNamed() {
        RtmpUrl url = RtmpUrl.parse("rtmps://compositor.example.org/live/s3cret");
        assertThat(url.tls()).isTrue();
        assertThat(url.port()).isEqualTo(443);
        assertThat(url.tcUrl()).isEqualTo("rtmps://compositor.example.org:443/live");
        assertThat(RtmpUrl.parse("rtmps://h:1936/live/k").port()).isEqualTo(1936);
        assertThat(RtmpUrl.parse("rtmp://h/live/k").tls()).isFalse();
        assertThatThrownBy(() -> RtmpUrl.parse("http://h/live/k")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timestampUnwrapperKeepsSmallBackwardStepsAndCrossesTheWrap() {
        TimestampUnwrapper clock = new TimestampUnwrapper();
        assertThat(clock.unwrap(0xFFFFFFF0L)).isEqualTo(0xFFFFFFF0L);
        assertThat(clock.unwrap(0x10)).isEqualTo(0x100000010L);        // wrapped forward by 0x20
        assertThat(clock.unwrap(0xFFFFFFFAL)).isEqualTo(0xFFFFFFFAL);  // late audio from before the wrap
        assertThat(clock.unwrap(0x20)).isEqualTo(0x100000020L);
    }
}
