package com.streamloom.media.pipeline;

import com.streamloom.media.testing.MediaFileReader;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.CollectingSink;
import com.streamloom.media.testing.GeneratedMedia;
import com.streamloom.spec.EncodingSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code encoding.maxFps}: frames above the rate are dropped; no second of output holds more than maxFps pictures. */
class MaxFpsTest {
    /** Two seconds of a 30 fps source: 60 pictures. */
    private static final List<MediaPacket> SOURCE =
            MediaFileReader.read(GeneratedMedia.testPattern(320, 240, 30, 2), 0);

    private static List<Long> outputPts(int maxFps, StreamProcessor[] processor) {
        CollectingSink sink = new CollectingSink();
        try (StreamProcessor p = StreamProcessor.builder("fps").encoding(new EncodingSpec("ultrafast", 500, maxFps,
                "copy")).output(sink).blockWhenFull(true).build().start()) {
            SOURCE.forEach(p::accept);
            p.end("done");
            await().atMost(Duration.ofSeconds(20)).until(() -> sink.ends.size() == 1 && p.isIdle());
            processor[0] = p;
        }
        return sink.video().stream().map(MediaPacket::ptsMicros).sorted().toList();
    }

    @Test
    void aTenFpsCapOnAThirtyFpsSourceKeepsAtMostTenPicturesInAnySecond() {
        StreamProcessor[] p = new StreamProcessor[1];
        List<Long> pts = outputPts(10, p);
        // Every window of one second, starting at any output picture, holds at most 10 pictures.
        for (int i = 0; i < pts.size(); i++) {
            long from = pts.get(i);
            long inWindow = pts.stream().filter(t -> t >= from && t < from + 1_000_000).count();
            assertThat(inWindow).as("pictures in the second from %d us", from).isLessThanOrEqualTo(10);
        }
        // ... and the cap is a cap, not a stall: one picture per 100 ms slot of the 2 s source.
        assertThat(pts).hasSizeBetween(19, 20);
        assertThat(p[0].framesDroppedByRate()).isEqualTo(60 - pts.size());
    }

    @Test
    void aCapAboveTheSourceRateOrZeroDropsNothing() {
        StreamProcessor[] p = new StreamProcessor[1];
        assertThat(outputPts(60, p)).hasSize(60);
        assertThat(p[0].framesDroppedByRate()).isZero();
        assertThat(outputPts(0, p)).hasSize(60);
        assertThat(p[0].framesDroppedByRate()).isZero();
    }
}
