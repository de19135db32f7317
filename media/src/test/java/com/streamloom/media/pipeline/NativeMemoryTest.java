package com.streamloom.media.pipeline;

import com.streamloom.media.testing.MediaFileReader;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.GeneratedMedia;
import com.streamloom.media.testing.PaintLumaStage;
import com.streamloom.spec.EncodingSpec;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ARCHITECTURE "Native memory is owned": 300 frames through decode → stage (Mat plane views) → encode, with a
 * live stage swap in between, must not grow the process's resident memory beyond a bound. Leaking the decoded
 * pictures alone would grow it by 200 x 778 KB = 155 MB between the two measurements.
 */
class NativeMemoryTest {

    @Test
    void threeHundredFramesKeepResidentMemoryFlat() throws InterruptedException {
        List<MediaPacket> source = MediaFileReader.read(GeneratedMedia.testPattern(960, 540, 30, 10, 30), 0);
        int at100 = videoIndex(source, 100);
        // Keep nothing: the test measures the pipeline, not a collector.
        com.streamloom.media.packet.MediaSink sink = packet -> { };
        long before;
        long after;
        try (StreamProcessor p = StreamProcessor.builder("leak")
                .encoding(new EncodingSpec("ultrafast", 800, 0, "aac"))
                .stages(List.of(new PaintLumaStage("a", 50, 64, 64, 0)))
                .output(sink).blockWhenFull(true).build().start()) {
            source.subList(0, at100).forEach(p::accept);
            await().atMost(Duration.ofSeconds(20)).until(() -> p.isIdle() && p.framesEncoded() >= 95);
            before = residentBytes();
            p.updateStages(List.of(new PaintLumaStage("b", 200, 64, 64, 0)));
            source.subList(at100, source.size()).forEach(p::accept);
            p.end("done");
            await().atMost(Duration.ofSeconds(30)).until(() -> p.isIdle() && p.framesEncoded() >= 300);
            after = residentBytes();
            assertThat(p.framesEncoded()).isEqualTo(300);
        }
        long growth = after - before;
        System.out.printf("resident before %d MB, after %d MB, growth %d KB%n", before >> 20, after >> 20, growth >> 10);
        assertThat(growth).as("resident memory growth over 200 frames").isLessThan(40L << 20);
    }

    /**
     * Resident bytes of the process minus the committed Java heap (which the GC grows and shrinks on its own), the
     * median of three samples after a GC (JavaCPP frees unreachable Pointers on GC).
     */
    private static long residentBytes() throws InterruptedException {
        long[] samples = new long[3];
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < samples.length; i++) {
            System.gc();
            Thread.sleep(100);
            samples[i] = Pointer.physicalBytes() - rt.totalMemory();
        }
        java.util.Arrays.sort(samples);
        return samples[1];
    }

    private static int videoIndex(List<MediaPacket> packets, int n) {
        int seen = 0;
        for (int i = 0; i < packets.size(); i++) {
            if (packets.get(i).isVideo() && !packets.get(i).config() && seen++ == n) {
                return i;
            }
        }
        throw new IllegalArgumentException("fewer than " + n + " video packets");
    }
}
