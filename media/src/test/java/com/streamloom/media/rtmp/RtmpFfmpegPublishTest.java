package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaPacket.Codec;
import com.streamloom.media.testing.RecordingSink;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real ffmpeg CLI (shipped with JavaCV) publishing to our server over TCP, as a user's tool would. */
class RtmpFfmpegPublishTest {
    private static final String KEY = "f00-secret";

    private final RecordingSink sink = new RecordingSink();
    private final ExclusivePublishers exclusive = new ExclusivePublishers();
    private final PublishHandler handler = request -> {
        if (!request.app().equals("live") || !request.streamKey().equals(KEY)) {
            throw new PublishRejectedException("unknown stream key");
        }
        return exclusive.claim("cam", sink);
    };

    @Test
    void ffmpegPublishesH264AndAacWhileABadClientIsThrownOut() throws Exception {
        try (RtmpServer server = RtmpServer.start(new InetSocketAddress("127.0.0.1", 0), RtmpSettings.defaults(),
                handler)) {
            Process ffmpeg = startFfmpeg("rtmp://127.0.0.1:" + server.port() + "/live/" + KEY);
            CompletableFuture<String> log = readAll(ffmpeg.getInputStream());
            await().atMost(Duration.ofSeconds(15)).until(() -> !sink.packets().isEmpty());
            // Meanwhile, two bad clients on other connections: neither may disturb the publisher.
            assertThat(badClient(server.port(), new byte[] {6})).as("wrong handshake version closed").isTrue();
            assertThat(badClient(server.port(), chunkSizeZeroAfterHandshake())).as("chunk size 0 closed").isTrue();

            assertThat(ffmpeg.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ffmpeg.exitValue()).as(log.get()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> !sink.endReasons().isEmpty());
        }
        List<MediaPacket> packets = sink.packets();
        List<MediaPacket> video = packets.stream().filter(MediaPacket::isVideo).toList();
        List<MediaPacket> audio = packets.stream().filter(MediaPacket::isAudio).toList();

        // Configuration first: avcC (configurationVersion 1, ISO 14496-15 5.2.4.1) and AudioSpecificConfig.
        assertThat(video.get(0).config()).isTrue();
        assertThat(video.get(0).codec()).isEqualTo(Codec.H264);
        assertThat(video.get(0).data()[0]).isEqualTo((byte) 1);
        assertThat(audio.get(0).config()).isTrue();
        assertThat(audio.get(0).data().length).isGreaterThanOrEqualTo(2);
        assertThat(audio.get(0).data()[0] >> 3).as("AAC LC object type").isEqualTo(2);

        List<MediaPacket> frames = video.stream().filter(p -> !p.config()).toList();
        assertThat(frames.get(0).keyframe()).isTrue();
        assertThat(frames).hasSizeBetween(50, 70);                     // 2 s at 30 fps
        assertThat(frames.stream().filter(MediaPacket::keyframe).count()).isGreaterThanOrEqualTo(2); // -g 30
        for (MediaPacket f : frames) {
            int firstNalLength = ((f.data()[0] & 0xFF) << 24) | ((f.data()[1] & 0xFF) << 16)
                    | ((f.data()[2] & 0xFF) << 8) | (f.data()[3] & 0xFF);
            assertThat(firstNalLength).as("AVCC length prefix").isBetween(1, f.data().length - 4);
            assertThat(f.ptsMicros()).isGreaterThanOrEqualTo(f.dtsMicros());
        }
        assertMonotonicWithSpan(frames, 1_700_000, 2_300_000);
        List<MediaPacket> aacFrames = audio.stream().filter(p -> !p.config()).toList();
        assertThat(aacFrames).hasSizeGreaterThan(80);                  // 44.1 kHz / 1024 samples ≈ 43 per second
        assertMonotonicWithSpan(aacFrames, 1_700_000, 2_300_000);
        assertThat(sink.endReasons()).hasSize(1);
    }

    @Test
    void ffmpegFailsOnAWrongKey() throws Exception {
        try (RtmpServer server = RtmpServer.start(new InetSocketAddress("127.0.0.1", 0), RtmpSettings.defaults(),
                handler)) {
            Process ffmpeg = startFfmpeg("rtmp://127.0.0.1:" + server.port() + "/live/not-the-key");
            CompletableFuture<String> log = readAll(ffmpeg.getInputStream());
            assertThat(ffmpeg.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(ffmpeg.exitValue()).isNotZero();
            assertThat(log.get()).contains("unknown stream key");
        }
        assertThat(sink.packets()).isEmpty();
    }

    private static void assertMonotonicWithSpan(List<MediaPacket> packets, long minSpan, long maxSpan) {
        for (int i = 1; i < packets.size(); i++) {
            assertThat(packets.get(i).dtsMicros()).isGreaterThanOrEqualTo(packets.get(i - 1).dtsMicros());
        }
        long span = packets.get(packets.size() - 1).dtsMicros() - packets.get(0).dtsMicros();
        assertThat(span).isBetween(minSpan, maxSpan);
    }

    static Process startFfmpeg(String url) throws IOException {
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        return new ProcessBuilder(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-f", "flv", url)
                .redirectErrorStream(true).start();
    }

    static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
    }

    /** Sends bytes on a fresh connection; true if the server then closes it (read returns end of stream). */
    private static boolean badClient(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(bytes);
            out.flush();
            while (true) {
                if (in.read(new byte[4096]) < 0) {
                    return true;
                }
            }
        }
    }

    private static byte[] chunkSizeZeroAfterHandshake() {
        byte[] b = new byte[1 + 1536 + 1536 + 16];
        b[0] = 3;                                        // C0: version 3, then C1 and C2 of zeros
        int i = 1 + 2 * 1536;
        b[i] = 0x02;                                     // fmt 0, chunk stream 2
        b[i + 6] = 4;                                    // (timestamp 0) message length 4
        b[i + 7] = 1;                                    // Set Chunk Size; stream 0; size 0
        return b;
    }
}
