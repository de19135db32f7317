package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.spec.StageSpec;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static com.streamloom.media.testing.FramesForTests.context;
import static com.streamloom.media.testing.FramesForTests.fill;
import static com.streamloom.media.testing.FramesForTests.flat;
import static com.streamloom.media.testing.FramesForTests.luma;
import static com.streamloom.media.testing.FramesForTests.mark;
import static com.streamloom.media.testing.FramesForTests.region;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An FFmpeg filter graph stage transforms frames, keeps their timestamps and refuses a bad graph clearly. */
class FfmpegGraphStageTest {

    /** 320x240 with a dark left half (luma 40) and a light right half (luma 200). */
    private static VideoFrame halves(int width, int height) {
        VideoFrame f = flat(width, height, 40, 128, 128);
        try (var right = region(f.y(), width / 2, 0, width / 2, height)) {
            fill(right, 200);
        }
        return f;
    }

    @Test
    void hflipMirrorsTheFrameAndKeepsItsTimestamp() {
        try (FfmpegGraphStage stage = new FfmpegGraphStage("hflip")) {
            VideoFrame input = flat(320, 240, 16, 128, 128);
            mark(input.y(), 20, 10, 4, 235);
            input.setPtsMicros(1_234_567);

            try (VideoFrame out = stage.apply(input, context(0))) {
                assertThat(input.isClosed()).isTrue();
                assertThat(out.ptsMicros()).isEqualTo(1_234_567);
                assertThat(luma(out, 320 - 20 - 4, 10)).isEqualTo(235);
                assertThat(luma(out, 320 - 20 - 1, 13)).isEqualTo(235);
                assertThat(luma(out, 20, 10)).isEqualTo(16);
            }
        }
    }

    @Test
    void timestampsComeBackInMicrosecondsWhenTheGraphChangesTheTimeBase() {
        try (FfmpegGraphStage stage = new FfmpegGraphStage("settb=1/90000,hflip")) {
            for (long pts : new long[] {0, 33_000, 1_234_000}) {
                VideoFrame input = halves(320, 240);
                input.setPtsMicros(pts);
                try (VideoFrame out = stage.apply(input, context(0))) {
                    assertThat(out.ptsMicros()).isEqualTo(pts);
                }
            }
        }
    }

    @Test
    void negateTurnsDarkIntoLightAndBack() {
        try (FfmpegGraphStage stage = new FfmpegGraphStage("negate");
             VideoFrame out = stage.apply(halves(320, 240), context(0))) {
            int left = luma(out, 10, 100);
            int right = luma(out, 310, 100);
            assertThat(left).isGreaterThan(180);
            assertThat(right).isLessThan(60);
        }
    }

    @Test
    void anOutputOfAnotherSizeIsPassedOn() {
        try (FfmpegGraphStage stage = new FfmpegGraphStage("scale=160:120");
             VideoFrame out = stage.apply(halves(320, 240), context(0))) {
            assertThat(out.width()).isEqualTo(160);
            assertThat(out.height()).isEqualTo(120);
            assertThat(luma(out, 10, 60)).isEqualTo(40);
        }
    }

    @Test
    void rebuildsTheGraphWhenTheInputSizeChanges() {
        try (FfmpegGraphStage stage = new FfmpegGraphStage("hflip")) {
            for (int[] size : new int[][] {{320, 240}, {160, 120}, {320, 240}}) {
                try (VideoFrame out = stage.apply(halves(size[0], size[1]), context(0))) {
                    assertThat(out.width()).isEqualTo(size[0]);
                    assertThat(out.height()).isEqualTo(size[1]);
                    assertThat(luma(out, 2, 2)).isEqualTo(200); // the light half is now on the left
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nosuchfilter", "hqdn3d=nosuchoption=1", "scale=w=", "hflip;vflip", "[in]split[a][b]",
            "movie=/nonexistent.mp4", "color=red", "anull", "  ", "hflip[x];[y]vflip", "zmq"})
    void refusesABadGraphWhenBuiltWithAClearMessage(String graph) {
        assertThatThrownBy(() -> new FfmpegGraphStage(graph).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ffmpeg graph");
    }

    @Test
    void aRefusedFilterIsNeverStarted(@TempDir Path dir) {
        // psnr and metadata create their file when initialised; the name check must come before that.
        Path stats = dir.resolve("stats.log");
        Path dump = dir.resolve("metadata.log");
        assertThatThrownBy(() -> new FfmpegGraphStage("split[a][b];[a][b]psnr=stats_file=" + stats).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'psnr', which is not allowed");
        assertThatThrownBy(() -> new FfmpegGraphStage("metadata=mode=print:file=" + dump).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'metadata', which is not allowed");
        assertThat(stats).doesNotExist();
        assertThat(dump).doesNotExist();
    }

    @Test
    void explicitInAndOutLabelsAndMultiInputFiltersWork() {
        try (FfmpegGraphStage stage = new FfmpegGraphStage("[in]split[a][b];[a]hflip[f];[f][b]blend=all_mode=average[out]");
             VideoFrame out = stage.apply(halves(320, 240), context(0))) {
            // The average of the picture and its mirror image is flat: (40 + 200) / 2 everywhere.
            assertThat(luma(out, 10, 100)).isEqualTo(120);
            assertThat(luma(out, 310, 100)).isEqualTo(120);
        }
    }

    @Test
    void refusedGraphsLeaveNothingForTheGarbageCollectorToFreeTwice() {
        // Out-parameters that FFmpeg frees on an early failure must not also be owned by JavaCPP: collect and
        // deallocate everything unreachable, which crashed the JVM when they were.
        for (int i = 0; i < 50; i++) {
            for (String graph : new String[] {"hqdn3d=nosuchoption=1", "nosuchfilter", "hflip;vflip", "anull"}) {
                assertThatThrownBy(() -> new FfmpegGraphStage(graph).close())
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
        System.gc();
        Pointer.deallocateReferences();
        try (FfmpegGraphStage stage = new FfmpegGraphStage("hflip");
             VideoFrame out = stage.apply(halves(320, 240), context(0))) {
            assertThat(luma(out, 2, 2)).isEqualTo(200);
        }
    }

    @Test
    void theFactoryRefusesABadGraphToo() {
        StageSpec spec = new StageSpec("ffmpeg", Map.of("graph", "hqdn3d=luma_spatial=banana"));
        assertThatThrownBy(() -> Filters.create(spec).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hqdn3d=luma_spatial=banana")
                .hasMessageContaining("invalid");
    }

    @Test
    void aGraphThatCannotTakeTheInputSizeFailsPerFrameWithoutCrashing() {
        try (FfmpegGraphStage stage = new FfmpegGraphStage("crop=1000:1000")) {
            VideoFrame input = halves(320, 240);
            assertThatThrownBy(() -> stage.apply(input, context(0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot process 320x240");
            assertThat(input.isClosed()).isTrue();
            // A frame it can take still works afterwards.
            try (VideoFrame out = stage.apply(halves(1280, 1080), context(1))) {
                assertThat(out.width()).isEqualTo(1000);
            }
        }
    }
}
