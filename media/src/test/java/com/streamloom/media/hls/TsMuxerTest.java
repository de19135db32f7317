package com.streamloom.media.hls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MPEG-TS output is well formed (packets, PSI CRCs, ADTS) and decodes with every frame at its timestamp. */
class TsMuxerTest {
    private static final long OFFSET_MICROS = 1_000_000;
    @TempDir
    static Path dir;
    /** 2 s, keyframe every second, 2 B-frames so pts and dts differ. */
    static List<MediaPacket> source;

    @BeforeAll
    static void encodeSource() {
        source = PacketsForTests.packets(dir, "bframes", Source.small(2).withBFrames(2));
    }

    @Test
    void muxedStreamDecodesWithEveryFrameAndItsTimestamps() throws Exception {
        Path ts = dir.resolve("all.ts");
        Files.write(ts, mux(source));

        assertThat(PacketsForTests.decodeErrors(ts)).isEmpty();
        JsonNode probe = new ObjectMapper().readTree(PacketsForTests.run(PacketsForTests.ffprobe(), "-v", "error",
                "-count_frames", "-show_streams", "-show_packets", "-of", "json", ts.toString()));
        Map<String, JsonNode> streams = new HashMap<>();
        probe.get("streams").forEach(s -> streams.put(s.get("codec_type").asText(), s));
        List<MediaPacket> video = media(MediaPacket.Track.VIDEO);
        List<MediaPacket> audio = media(MediaPacket.Track.AUDIO);

        JsonNode v = streams.get("video");
        assertThat(v.get("codec_name").asText()).isEqualTo("h264");
        assertThat(v.get("width").asInt()).isEqualTo(320);
        assertThat(v.get("nb_read_frames").asInt()).isEqualTo(video.size()).isEqualTo(60);
        JsonNode a = streams.get("audio");
        assertThat(a.get("codec_name").asText()).isEqualTo("aac");
        assertThat(a.get("sample_rate").asInt()).isEqualTo(48000);
        assertThat(a.get("channels").asInt()).isEqualTo(2);
        assertThat(a.get("nb_read_frames").asInt()).isEqualTo(audio.size());

        List<long[]> videoTimes = new ArrayList<>();
        List<Long> audioPts = new ArrayList<>();
        for (JsonNode p : probe.get("packets")) {
            if (p.get("stream_index").asInt() == v.get("index").asInt()) {
                videoTimes.add(new long[] {p.get("pts").asLong(), p.get("dts").asLong()});
            } else {
                audioPts.add(p.get("pts").asLong());
            }
        }
        assertThat(videoTimes).hasSize(video.size());
        for (int i = 0; i < video.size(); i++) {
            assertThat(videoTimes.get(i)).as("video packet %d pts, dts", i).containsExactly(
                    TsMuxer.to90kHz(video.get(i).ptsMicros() + OFFSET_MICROS),
                    TsMuxer.to90kHz(video.get(i).dtsMicros() + OFFSET_MICROS));
        }
        assertThat(videoTimes).anyMatch(t -> t[0] != t[1]);
        assertThat(audioPts).hasSize(audio.size());
        for (int i = 0; i < audio.size(); i++) {
            assertThat(audioPts.get(i)).as("audio packet %d pts", i)
                    .isEqualTo(TsMuxer.to90kHz(audio.get(i).ptsMicros() + OFFSET_MICROS));
        }
        // Duration: 60 frames at 30 fps from the first pts.
        double videoDuration = v.get("duration").asDouble();
        assertThat(videoDuration).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void transportPacketsAreWellFormed() {
        byte[] ts = mux(source);
        assertThat(ts.length % TsMuxer.PACKET_SIZE).isZero();
        Map<Integer, Integer> lastCounter = new HashMap<>();
        int videoPesStarts = 0;
        int videoPesWithPcr = 0;
        int randomAccessPoints = 0;
        for (int at = 0; at < ts.length; at += TsMuxer.PACKET_SIZE) {
            assertThat(ts[at]).as("sync byte at %d", at).isEqualTo((byte) 0x47);
            int pid = ((ts[at + 1] & 0x1F) << 8) | (ts[at + 2] & 0xFF);
            boolean start = (ts[at + 1] & 0x40) != 0;
            int control = (ts[at + 3] >> 4) & 0x3;
            int counter = ts[at + 3] & 0x0F;
            Integer previous = lastCounter.put(pid, counter);
            if (previous != null) {
                assertThat(counter).as("continuity counter of PID %d at %d", pid, at).isEqualTo((previous + 1) & 0xF);
            }
            assertThat(control).as("adaptation_field_control at %d", at).isIn(1, 3);
            int afLength = control == 3 ? ts[at + 4] & 0xFF : 0;
            assertThat(afLength).isLessThanOrEqualTo(183);
            if (pid == TsMuxer.PID_VIDEO && start) {
                videoPesStarts++;
                int flags = afLength > 0 ? ts[at + 5] & 0xFF : 0;
                videoPesWithPcr += (flags & 0x10) != 0 ? 1 : 0;
                randomAccessPoints += (flags & 0x40) != 0 ? 1 : 0;
                int payload = at + 4 + (control == 3 ? 1 + afLength : 0);
                assertThat(ts[payload + 3] & 0xFF).as("PES stream_id").isEqualTo(0xE0);
            }
        }
        assertThat(videoPesStarts).isEqualTo(media(MediaPacket.Track.VIDEO).size());
        assertThat(videoPesWithPcr).isEqualTo(videoPesStarts);
        assertThat(randomAccessPoints).as("random_access_indicator on keyframes only")
                .isEqualTo(media(MediaPacket.Track.VIDEO).stream().filter(MediaPacket::keyframe).count())
                .isEqualTo(2);
    }

    @Test
    void pidCarryingPsiHasValidCrc() {
        byte[] ts = mux(source);
        // The PAT is the first packet: pointer_field 0, then the section; its CRC covers everything before it.
        int sectionLength = ((ts[6] & 0x0F) << 8) | (ts[7] & 0xFF);
        byte[] section = java.util.Arrays.copyOfRange(ts, 5, 5 + 3 + sectionLength);
        assertThat(TsMuxer.crc32Mpeg(section, section.length)).as("CRC over section including CRC_32").isZero();
    }

    @Test
    void rejectsMalformedConfigAndSamplesWithoutWriting() {
        TsMuxer muxer = new TsMuxer();
        assertThatThrownBy(() -> muxer.configure(MediaPacket.videoConfig(MediaPacket.Codec.H264, 0, new byte[] {1, 2})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("avcC");
        assertThatThrownBy(() -> muxer.configure(MediaPacket.audioConfig(0, new byte[] {(byte) 0xF8, 0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AudioSpecificConfig");
        source.stream().filter(MediaPacket::config).forEach(muxer::configure);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MediaPacket bad = new MediaPacket(MediaPacket.Track.VIDEO, MediaPacket.Codec.H264, 0, 0, true, false,
                new byte[] {0, 0, 1, 0, 0x65}); // NAL length 256 in a 5-byte sample
        assertThatThrownBy(() -> muxer.write(bad, out)).hasMessageContaining("does not fit");
        assertThat(out.size()).isZero();
    }

    @Test
    void adtsHeaderMatchesTheConfig() {
        // AAC LC, 48 kHz (index 3), stereo: 00010 0011 0010 000 = 0x11 0x90
        AacConfig config = AacConfig.parse(new byte[] {0x11, (byte) 0x90});
        byte[] adts = config.toAdts(new byte[100]);
        assertThat(config.sampleRate()).isEqualTo(48000);
        assertThat(adts).hasSize(107);
        assertThat(((adts[3] & 0x03) << 11) | ((adts[4] & 0xFF) << 3) | ((adts[5] & 0xFF) >> 5)).isEqualTo(107);
        assertThat((adts[2] >> 6) & 3).as("profile LC").isEqualTo(1);
        assertThat((adts[2] >> 2) & 0xF).as("frequency index").isEqualTo(3);
    }

    private static List<MediaPacket> media(MediaPacket.Track track) {
        return source.stream().filter(p -> !p.config() && p.track() == track).toList();
    }

    private static byte[] mux(List<MediaPacket> packets) {
        TsMuxer muxer = new TsMuxer();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        packets.stream().filter(MediaPacket::config).forEach(muxer::configure);
        muxer.writeTables(out);
        for (MediaPacket p : packets) {
            if (!p.config()) {
                assertThat(muxer.write(p.withTimes(p.ptsMicros() + OFFSET_MICROS, p.dtsMicros() + OFFSET_MICROS), out))
                        .isTrue();
            }
        }
        return out.toByteArray();
    }
}
