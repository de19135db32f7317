package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameStage;
import com.streamloom.spec.StageSpec;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static com.streamloom.media.testing.FramesForTests.checkerboard;
import static com.streamloom.media.testing.FramesForTests.context;
import static org.assertj.core.api.Assertions.assertThat;

/** Native memory stays flat while frames flow (ARCHITECTURE.md: "a pipeline that runs an hour has flat memory"). */
class FilterNativeMemoryTest {

    /**
     * 500 frames through each stage must not grow the process's resident memory: a leaked 320x240 frame, Mat or
     * filter graph per frame would add tens of megabytes.
     */
    @ParameterizedTest
    @MethodSource("com.streamloom.media.filter.FiltersTest#filterTypes")
    void fiveHundredFramesDoNotGrowNativeMemory(String type) {
        try (FrameStage stage = Filters.create(new StageSpec(type));
             VideoFrame source = checkerboard(320, 240, 8, 30, 220)) {
            runFrames(stage, source, 50); // warm up: caches, graph, JIT
            long before = Pointer.physicalBytes();
            runFrames(stage, source, 500);
            long grown = Pointer.physicalBytes() - before;
            assertThat(grown).as("resident memory growth over 500 frames of %s", type)
                    .isLessThan(24L * 1024 * 1024);
        }
    }

    private static void runFrames(FrameStage stage, VideoFrame source, int count) {
        for (int i = 0; i < count; i++) {
            VideoFrame out = stage.apply(source.copy(), context(i));
            if (out != null) {
                out.close();
            }
        }
    }
}
