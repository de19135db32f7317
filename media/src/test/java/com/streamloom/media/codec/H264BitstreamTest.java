package com.streamloom.media.codec;

import com.streamloom.media.codec.H264Bitstream.AvcConfig;
import com.streamloom.media.testing.FfmpegCli;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** H.264 framing conversions (Annex B, AVCC, emulation prevention) are lossless and refuse malformed input. */
class H264BitstreamTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Any sequence of well-formed NAL units survives Annex B -> AVCC -> Annex B unchanged. */
    @Property(tries = 300)
    void annexBToAvccAndBackIsLossless(@ForAll("nalUnits") List<byte[]> nals, @ForAll("startCodeLengths") List<Integer> codes) {
        byte[] annexB = joinWithStartCodes(nals, codes);
        byte[] avcc = H264Bitstream.annexBToAvcc(annexB);
        assertThat(H264Bitstream.splitLengthPrefixed(avcc, 4)).containsExactlyElementsOf(nals);
        byte[] back = H264Bitstream.avccToAnnexB(avcc);
        assertThat(H264Bitstream.splitAnnexB(back)).containsExactlyElementsOf(nals);
        assertThat(back).isEqualTo(H264Bitstream.joinAnnexB(nals));
    }

    /** Escaping makes any RBSP free of start-code emulation, and unescaping restores it. */
    @Property(tries = 300)
    void emulationPreventionRoundTrips(@ForAll("rbsp") byte[] rbsp) {
        byte[] escaped = H264Bitstream.escapeRbsp(rbsp);
        for (int i = 0; i + 2 < escaped.length; i++) {
            boolean emulates = escaped[i] == 0 && escaped[i + 1] == 0 && (escaped[i + 2] & 0xFF) <= 2;
            assertThat(emulates).as("00 00 0%d at %d", escaped[i + 2], i).isFalse();
        }
        assertThat(H264Bitstream.unescapeRbsp(escaped)).isEqualTo(rbsp);
    }

    @Provide
    Arbitrary<List<byte[]>> nalUnits() {
        return rbsp().map(H264BitstreamTest::asNal).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Integer>> startCodeLengths() {
        return Arbitraries.of(3, 4).list().ofSize(8);
    }

    @Provide
    Arbitrary<byte[]> rbsp() {
        // Zero-heavy bytes so that 00 00 0x runs, the interesting case, are frequent.
        Arbitrary<Byte> b = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just((byte) 0)),
                net.jqwik.api.Tuple.of(2, Arbitraries.bytes().between((byte) 1, (byte) 3)),
                net.jqwik.api.Tuple.of(3, Arbitraries.bytes()));
        return b.array(byte[].class).ofMinSize(0).ofMaxSize(64);
    }

    /** A NAL unit as an encoder writes it: header byte, escaped payload, a non-zero last byte (rbsp_stop_one_bit). */
    private static byte[] asNal(byte[] rbsp) {
        byte[] body = Arrays.copyOf(rbsp, rbsp.length + 2);
        body[0] = (byte) (0x60 | (1 + (rbsp.length % 23))); // nal_ref_idc 3, nal_unit_type 1..23
        body[body.length - 1] = (byte) 0x80;
        return H264Bitstream.escapeRbsp(body);
    }

    private static byte[] joinWithStartCodes(List<byte[]> nals, List<Integer> codes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < nals.size(); i++) {
            if (codes.get(i) == 4) {
                out.write(0);
            }
            out.writeBytes(new byte[] {0, 0, 1});
            out.writeBytes(nals.get(i));
        }
        return out.toByteArray();
    }

    @Test
    void splitsAnnexBWithMixedStartCodesAndTrailingZeros() {
        byte[] data = HEX.parseHex("00000001" + "6742c01e" + "000001" + "68ce3c80" + "0000" + "00000001" + "65888480");
        List<byte[]> nals = H264Bitstream.splitAnnexB(data);
        assertThat(nals).extracting(HEX::formatHex).containsExactly("6742c01e", "68ce3c80", "65888480");
        assertThat(nals).extracting(H264Bitstream::nalType).containsExactly(7, 8, 5);
    }

    @Test
    void rejectsAnnexBWithoutLeadingStartCode() {
        assertThatThrownBy(() -> H264Bitstream.splitAnnexB(HEX.parseHex("6742c01e00000001")))
                .hasMessageContaining("start code");
    }

    @Test
    void rejectsLengthPrefixBeyondTheData() {
        assertThatThrownBy(() -> H264Bitstream.splitLengthPrefixed(HEX.parseHex("00000010" + "65"), 4))
                .hasMessageContaining("exceeds");
        assertThatThrownBy(() -> H264Bitstream.splitLengthPrefixed(HEX.parseHex("0000"), 4))
                .hasMessageContaining("truncated");
    }

    @Test
    void rejectsTruncatedAvcConfig() {
        assertThatThrownBy(() -> AvcConfig.parse(HEX.parseHex("0164001fffe1" + "0019"))).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> AvcConfig.parse(HEX.parseHex("02640000ffe100"))).hasMessageContaining("version");
    }

    /**
     * The avcC we build from an x264 stream's SPS/PPS is byte-identical to the one FFmpeg's MP4 muxer writes for the
     * same stream, for a High profile stream (with the chroma/bit-depth extension) and a Baseline one (without).
     */
    @Test
    void buildsTheSameAvcConfigAsFfmpeg(@TempDir Path dir) throws Exception {
        for (String profile : List.of("high", "baseline")) {
            Path mp4 = dir.resolve(profile + ".mp4");
            Path raw = dir.resolve(profile + ".h264");
            FfmpegCli.run(Duration.ofSeconds(30), "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc2=s=320x240:r=30", "-frames:v", "3", "-c:v", "libx264", "-profile:v", profile,
                    "-pix_fmt", "yuv420p", mp4.toString()).requireSuccess();
            FfmpegCli.run(Duration.ofSeconds(30), "-loglevel", "error", "-i", mp4.toString(), "-c", "copy",
                    "-bsf:v", "h264_mp4toannexb", "-f", "h264", raw.toString()).requireSuccess();
            byte[] ffmpegAvcc = box(Files.readAllBytes(mp4), "avcC");
            List<byte[]> sps = new ArrayList<>();
            List<byte[]> pps = new ArrayList<>();
            for (byte[] nal : H264Bitstream.splitAnnexB(Files.readAllBytes(raw))) {
                if (H264Bitstream.nalType(nal) == H264Bitstream.NAL_SPS && sps.isEmpty()) {
                    sps.add(nal);
                } else if (H264Bitstream.nalType(nal) == H264Bitstream.NAL_PPS && pps.isEmpty()) {
                    pps.add(nal);
                }
            }
            byte[] ours = new AvcConfig(sps, pps, 4).toBytes();
            assertThat(HEX.formatHex(ours)).as(profile).isEqualTo(HEX.formatHex(ffmpegAvcc));
            AvcConfig parsed = AvcConfig.parse(ffmpegAvcc);
            assertThat(parsed.sps()).containsExactlyElementsOf(sps);
            assertThat(parsed.pps()).containsExactlyElementsOf(pps);
            assertThat(parsed.nalLengthSize()).isEqualTo(4);
            H264Bitstream.SpsInfo info = H264Bitstream.spsInfo(sps.get(0));
            assertThat(info.profileIdc()).isEqualTo(profile.equals("high") ? 100 : 66);
            assertThat(info.chromaFormatIdc()).isEqualTo(1);
        }
    }

    /** Payload of the first ISO BMFF box of the given type (a flat byte search is enough for a 3-frame file). */
    private static byte[] box(byte[] file, String type) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 4; i + 4 <= file.length; i++) {
            if (Arrays.equals(file, i, i + 4, t, 0, 4)) {
                int size = ((file[i - 4] & 0xFF) << 24) | ((file[i - 3] & 0xFF) << 16) | ((file[i - 2] & 0xFF) << 8)
                        | (file[i - 1] & 0xFF);
                return Arrays.copyOfRange(file, i + 4, i - 4 + size);
            }
        }
        throw new AssertionError("no " + type + " box");
    }
}
