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
     * 500 frames through each stage must not grow the process's resident memory by anything like one output frame
     * per frame. Resident memory also moves with the allocator and the Java heap (tens of MB on a busy machine), so
     * the bound is the larger of 24 MB and a quarter of what leaking every output frame would cost: a real per-frame
     * leak (a frame, a Mat, a graph) is far above it, allocator noise far below.
     */
    @ParameterizedTest
    @MethodSource("com.streamloom.media.filter.FiltersTest#filterTypes")
    void fiveHundredFramesDoNotGrowNativeMemory(String type) {
        try (FrameStage stage = Filters.create(new StageSpec(type));
             VideoFrame source = checkerboard(320, 240, 8, 30, 220)) {
            long outputFrameBytes = runFrames(stage, source, 200); // warm up: caches, graph, JIT, allocator arenas
            // Two windows of 500 frames: a leak grows in both, a one-off expansion (heap, malloc arena) in one at
            // most; the Java heap's own committed growth is not native memory and is taken out.
            long grown = Math.min(nativeGrowth(stage, source), nativeGrowth(stage, source));
            long leakOfEveryFrame = 500 * outputFrameBytes;
            assertThat(grown).as("resident memory growth over 500 frames of %s (leaking every output frame: %d MB)",
                            type, leakOfEveryFrame >> 20)
                    .isLessThan(Math.max(24L << 20, leakOfEveryFrame / 4));
        }
    }

    private static long nativeGrowth(FrameStage stage, VideoFrame source) {
        long rss = Pointer.physicalBytes();
        long heap = Runtime.getRuntime().totalMemory();
        runFrames(stage, source, 500);
        // A heap that shrank (the collector gave memory back) is not a native gain: only its growth is taken out.
        return (Pointer.physicalBytes() - rss) - Math.max(0, Runtime.getRuntime().totalMemory() - heap);
    }

    /** Runs the frames; returns the byte size of an I420 output frame. */
    private static long runFrames(FrameStage stage, VideoFrame source, int count) {
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            VideoFrame out = stage.apply(source.copy(), context(i));
            if (out != null) {
                bytes = (long) out.width() * out.height() * 3 / 2;
                out.close();
            }
        }
        return bytes;
    }
}
