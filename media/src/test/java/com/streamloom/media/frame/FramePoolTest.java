package com.streamloom.media.frame;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_is_writable;

/** Frame buffers are reused only when nothing references them, and outlive their pool safely. */
class FramePoolTest {

    @Test
    void aClosedFramesBufferIsReusedByTheNextTake() {
        try (FramePool pool = new FramePool(640, 360)) {
            VideoFrame a = pool.take(1);
            long address = a.avFrame().data(0).address();
            a.close();
            try (VideoFrame b = pool.take(2)) {
                assertThat(b.avFrame().data(0).address()).isEqualTo(address);
                assertThat(b.ptsMicros()).isEqualTo(2);
            }
        }
    }

    @Test
    void framesInFlightGetBuffersOfTheirOwnWithI420Layout() {
        try (FramePool pool = new FramePool(642, 362);
             VideoFrame a = pool.take(0);
             VideoFrame b = pool.take(0)) {
            assertThat(a.avFrame().data(0).address()).isNotEqualTo(b.avFrame().data(0).address());
            for (VideoFrame f : new VideoFrame[]{a, b}) {
                assertThat(f.width()).isEqualTo(642);
                assertThat(f.height()).isEqualTo(362);
                assertThat(av_frame_is_writable(f.avFrame())).isNotZero();
                assertThat(f.avFrame().linesize(0)).isGreaterThanOrEqualTo(642);
                assertThat(f.avFrame().linesize(1)).isGreaterThanOrEqualTo(321);
                // The planes follow each other inside one buffer without overlapping.
                long y = f.avFrame().data(0).address(), u = f.avFrame().data(1).address(), v = f.avFrame().data(2).address();
                assertThat(u).isGreaterThanOrEqualTo(y + (long) f.avFrame().linesize(0) * 362);
                assertThat(v).isGreaterThanOrEqualTo(u + (long) f.avFrame().linesize(1) * 181);
                // Every pixel can be written and read back through the plane views.
                f.y().ptr(361, 641).put((byte) 7);
                f.v().ptr(180, 320).put((byte) 9);
                assertThat(f.y().ptr(361, 641).get()).isEqualTo((byte) 7);
                assertThat(f.v().ptr(180, 320).get()).isEqualTo((byte) 9);
            }
        }
    }

    @Test
    void aBufferStillReferencedIsNotHandedOutAgain() {
        try (FramePool pool = new FramePool(64, 64)) {
            VideoFrame a = pool.take(0);
            long address = a.avFrame().data(0).address();
            // An encoder or a queue holding a reference (av_frame_clone) keeps the buffer out of the pool.
            VideoFrame ref = VideoFrame.adopt(av_frame_clone(a.avFrame()), 0);
            a.close();
            try (VideoFrame b = pool.take(0)) {
                assertThat(b.avFrame().data(0).address()).isNotEqualTo(address);
            }
            ref.close();
        }
    }

    @Test
    void framesOutlivingTheirClosedPoolStayValidAndFreeTheirBuffers() {
        FramePool pool = new FramePool(64, 64);
        VideoFrame a = pool.take(0);
        pool.close();
        a.y().ptr(63, 63).put((byte) 1);
        assertThat(a.y().ptr(63, 63).get()).isEqualTo((byte) 1);
        a.close(); // the last buffer back: libavutil frees the pool now
        assertThatThrownBy(() -> pool.take(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        pool.close(); // twice is harmless
    }

    @Test
    void oddOrEmptySizesAreRefused() {
        assertThatThrownBy(() -> new FramePool(641, 360)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("641x360");
        assertThatThrownBy(() -> new FramePool(0, 360)).isInstanceOf(IllegalArgumentException.class);
    }
}
