package com.streamloom.media.codec;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.GeneratedMedia;
import com.streamloom.media.testing.PacketsForTests;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invariant: a picture larger than the node's limit is refused from its SPS, before any frame is decoded for it. */
class PictureLimitTest {
    @TempDir
    static Path dir;

    @Test
    void fitsInEitherOrientationButNoSideLongerThanTheLimits() {
        PictureLimit uhd = PictureLimit.DEFAULT;
        assertThat(uhd.admits(3840, 2160)).isTrue();
        assertThat(uhd.admits(2160, 3840)).as("portrait 4K").isTrue();
        assertThat(uhd.admits(3842, 2160)).isFalse();
        assertThat(uhd.admits(7680, 4320)).isFalse();
        assertThat(uhd.admits(8192, 64)).as("few pixels, but wider than any side of the limit").isFalse();
        assertThat(uhd.admits(new PictureSize(1920, 1080, 1920, 1088))).as("1080p codes 1088 rows").isTrue();
        assertThat(uhd.admits(new PictureSize(320, 240, 16384, 16384)))
                .as("a huge coded picture behind a small cropping window").isFalse();
        assertThat(PictureLimit.parse(" 1280x720 ")).isEqualTo(new PictureLimit(1280, 720));
        assertThatThrownBy(() -> PictureLimit.parse("1280*720")).hasMessageContaining("WIDTHxHEIGHT");
        assertThatThrownBy(() -> PictureLimit.parse("99999x720")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheSizeFromAnAvcRecordIncludingItsCroppingWindow() {
        assertThat(SpsPictureSize.of(MediaPacket.Codec.H264, h264Config(1920, 1080)))
                .isEqualTo(new PictureSize(1920, 1080, 1920, 1088));
        assertThat(SpsPictureSize.of(MediaPacket.Codec.H264, h264Config(242, 322)))
                .isEqualTo(new PictureSize(242, 322, 256, 336));
    }

    @Test
    void readsTheSizeFromAnHevcRecordIncludingItsConformanceWindow() throws Exception {
        Path hevc = GeneratedMedia.generate("hevc-1000x562.mp4", "-f", "lavfi", "-i", "testsrc2=size=1000x562:rate=10",
                "-t", "0.3", "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-x265-params", "log-level=error");
        byte[] record;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(hevc.toFile())) {
            grabber.start();
            AVCodecParameters par = grabber.getFormatContext().streams(grabber.getVideoStream()).codecpar();
            record = new byte[par.extradata_size()];
            par.extradata().get(record);
            grabber.stop();
        }
        PictureSize size = SpsPictureSize.of(MediaPacket.Codec.HEVC, record);
        assertThat(size.width()).isEqualTo(1000);
        assertThat(size.height()).isEqualTo(562);
        assertThat(size.codedHeight()).as("whole minimum coding blocks").isGreaterThan(562).isLessThanOrEqualTo(576);
    }

    @Test
    void refusesAPictureOverTheLimitWithoutDecodingItAndResumesWithOneThatFits() {
        List<MediaPacket> big = PacketsForTests.packets(dir, "big-640x480", new PacketsForTests.Source(0.5, 10, 5, 0,
                640, 480));
        List<MediaPacket> portrait = PacketsForTests.packets(dir, "portrait-240x320",
                new PacketsForTests.Source(0.5, 10, 5, 0, 240, 320));
        List<VideoFrame> frames = new ArrayList<>();
        try (VideoDecoder decoder = new VideoDecoder(VideoDecoder.Options.lowLatency(), new PictureLimit(320, 240))) {
            big.stream().filter(MediaPacket::isVideo).forEach(p -> decoder.decode(p, frames::add));
            assertThat(frames).isEmpty();
            assertThat(decoder.isOpen()).as("no decoder was opened for it").isFalse();
            assertThat(decoder.opens()).isZero();
            assertThat(decoder.refusal()).isEqualTo(
                    "picture 640x480 is larger than the node's limit 320x240 (media.maxPicture)");
            assertThat(decoder.refusedPictures()).isEqualTo(1);

            portrait.stream().filter(MediaPacket::isVideo).forEach(p -> decoder.decode(p, frames::add));
            decoder.flush(frames::add);
            assertThat(decoder.refusal()).as("a publisher that fits clears the refusal").isNull();
            assertThat(frames).hasSize(5).allSatisfy(f -> {
                assertThat(f.width()).isEqualTo(240);
                assertThat(f.height()).isEqualTo(320);
            });
        } finally {
            frames.forEach(VideoFrame::close);
        }
    }

    @Test
    void aNewSequenceHeaderMidStreamWithALargerPictureIsRefusedLikeTheFirst() {
        List<VideoFrame> frames = new ArrayList<>();
        try (VideoDecoder decoder = new VideoDecoder(VideoDecoder.Options.lowLatency(), new PictureLimit(320, 240))) {
            small().forEach(p -> decoder.decode(p, frames::add));
            assertThat(frames).hasSize(5);
            assertThat(decoder.refusal()).isNull();

            big().forEach(p -> decoder.decode(p, frames::add));   // the publisher switches to 640x480
            assertThat(frames).as("nothing decoded at the new size").hasSize(5)
                    .allSatisfy(f -> assertThat(f.width()).isEqualTo(320));
            assertThat(decoder.isOpen()).isFalse();
            assertThat(decoder.refusal()).isEqualTo(
                    "picture 640x480 is larger than the node's limit 320x240 (media.maxPicture)");
        } finally {
            frames.forEach(VideoFrame::close);
        }
    }

    @Test
    void anSpsInsideTheStreamWithALargerPictureIsRefusedLikeAConfigRecordsAndTheStreamResumesAfter() {
        List<MediaPacket> big = big();
        H264Bitstream.AvcConfig bigConfig = H264Bitstream.AvcConfig.parse(big.get(0).data());
        assertThat(bigConfig.nalLengthSize()).as("the crafted unit below uses 4-byte lengths").isEqualTo(4);
        // The 640x480 media without its sequence header; its SPS and PPS ride in-band in front of the first
        // keyframe's slices, as an encoder that changes its size without a new sequence header sends them.
        List<MediaPacket> inBand = new ArrayList<>();
        for (MediaPacket p : big.subList(1, big.size())) {
            byte[] data = p.data();
            if (inBand.isEmpty()) {
                assertThat(p.keyframe()).isTrue();
                byte[] sets = H264Bitstream.joinAvcc(List.of(bigConfig.sps().get(0), bigConfig.pps().get(0)));
                data = new byte[sets.length + p.data().length];
                System.arraycopy(sets, 0, data, 0, sets.length);
                System.arraycopy(p.data(), 0, data, sets.length, p.data().length);
            }
            inBand.add(new MediaPacket(p.track(), p.codec(), p.ptsMicros(), p.dtsMicros(), p.keyframe(), false, data));
        }
        assertThat(SpsPictureSize.inBand(MediaPacket.Codec.H264, inBand.get(0).data(), 4))
                .isEqualTo(new PictureSize(640, 480, 640, 480));

        List<VideoFrame> frames = new ArrayList<>();
        try (VideoDecoder decoder = new VideoDecoder(VideoDecoder.Options.lowLatency(), new PictureLimit(320, 240))) {
            List<MediaPacket> small = small();
            small.forEach(p -> decoder.decode(p, frames::add));
            assertThat(frames).hasSize(5);

            inBand.forEach(p -> decoder.decode(p, frames::add));
            assertThat(frames).as("nothing decoded at the new size").hasSize(5);
            assertThat(decoder.isOpen()).as("the decoder was drained and closed").isFalse();
            assertThat(decoder.corruptPackets()).as("refused by its SPS, not by libavcodec's max_pixels").isZero();
            assertThat(decoder.refusal()).isEqualTo(
                    "picture 640x480 is larger than the node's limit 320x240 (media.maxPicture)");

            decoder.decode(small.get(0), frames::add);   // the same sequence header as before, repeated
            assertThat(decoder.refusal()).as("kept until a picture that fits is decoded").isNotNull();
            small.subList(1, small.size()).forEach(p -> decoder.decode(p, frames::add));
            decoder.flush(frames::add);
            assertThat(decoder.refusal()).as("pictures that fit again clear it").isNull();
            assertThat(frames).hasSize(10).allSatisfy(f -> assertThat(f.width()).isEqualTo(320));
        } finally {
            frames.forEach(VideoFrame::close);
        }
    }

    /** 320x240 H.264 video, its sequence header first: five pictures, the first a keyframe. */
    private static List<MediaPacket> small() {
        return PacketsForTests.packets(dir, "small-320x240", new PacketsForTests.Source(0.5, 10, 5, 0, 320, 240))
                .stream().filter(MediaPacket::isVideo).toList();
    }

    /** As {@link #small()}, at 640x480. */
    private static List<MediaPacket> big() {
        return PacketsForTests.packets(dir, "big-640x480", new PacketsForTests.Source(0.5, 10, 5, 0, 640, 480))
                .stream().filter(MediaPacket::isVideo).toList();
    }

    private static byte[] h264Config(int width, int height) {
        return PacketsForTests.packets(dir, "sps-" + width + "x" + height,
                        new PacketsForTests.Source(0.2, 10, 5, 0, width, height)).stream()
                .filter(p -> p.isVideo() && p.config()).findFirst().orElseThrow().data();
    }
}
