package com.streamloom.media.pipeline;

import com.streamloom.media.codec.KeyframePolicy;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.GeneratedMedia;
import com.streamloom.media.testing.MediaFileReader;
import com.streamloom.media.testing.SettableClock;
import com.streamloom.spec.EncodingSpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every FFmpeg log line a stream's pipeline causes names that stream, not only FFmpeg's component and address. */
class FfmpegLogNamesStreamTest {

    @Test
    void decoderErrorsOfTwoStreamsEachNameTheirOwnStream() {
        List<MediaPacket> corrupt = MediaFileReader.read(GeneratedMedia.testPattern(320, 240, 30, 1), 0).stream()
                .filter(MediaPacket::isVideo).map(FfmpegLogNamesStreamTest::withBadNalLength).toList();
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, copy), true, StandardCharsets.UTF_8));
        try (StreamProcessor alpha = processor("alpha"); StreamProcessor beta = processor("beta")) {
            corrupt.forEach(alpha::accept);
            corrupt.forEach(beta::accept);
            // FFmpeg's h264 decoder logs "Invalid NAL unit size" at error level for each packet of each stream.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                String log = logged(copy);
                return log.contains("[alpha] [h264 @ 0x") && log.contains("[beta] [h264 @ 0x");
            });
        } finally {
            System.setErr(originalErr);
        }
        List<String> ffmpegLines = logged(copy).lines().filter(l -> l.contains("[h264 @ 0x")).toList();
        assertThat(ffmpegLines).isNotEmpty().allSatisfy(line ->
                assertThat(line).as("names its stream").containsAnyOf("[alpha] [h264 @ 0x", "[beta] [h264 @ 0x"));
    }

    private static StreamProcessor processor(String name) {
        HlsPackager packager = new HlsPackager(name, new HlsSettings(2_000_000, 10, HlsSettings.DEFAULT_PART_MICROS,
                null), new SettableClock(Instant.parse("2026-01-02T03:04:05Z")));
        return StreamProcessor.builder(name).encoding(new EncodingSpec("ultrafast", 400, 0, "copy"))
                .keyframes(KeyframePolicy.atSegmentBoundaries(2_000_000)).output(packager).build().start();
    }

    /** The packet with its first NAL unit's length prefix claiming far more bytes than the packet has. */
    private static MediaPacket withBadNalLength(MediaPacket p) {
        if (p.config()) {
            return p;
        }
        byte[] data = Arrays.copyOf(p.data(), p.data().length);
        data[0] = 0x7f;
        data[1] = (byte) 0xff;
        return new MediaPacket(p.track(), p.codec(), p.ptsMicros(), p.dtsMicros(), p.keyframe(), false, data);
    }

    private static String logged(ByteArrayOutputStream copy) {
        synchronized (copy) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }

    /** Writes to stderr as before and to a copy the test reads. */
    private static final class Tee extends OutputStream {
        private final OutputStream original;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream original, ByteArrayOutputStream copy) {
            this.original = original;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            try {
                original.write(b);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            try {
                original.write(b, off, len);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
