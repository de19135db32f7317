package com.streamloom.media.frame;

import org.bytedeco.ffmpeg.avutil.AVBufferPool;
import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_pool_get;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_pool_init;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_pool_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;

/**
 * Writable I420 frames of one size whose pixel buffers are recycled: a frame's buffer goes back to the pool when
 * the last reference to it is freed ({@link VideoFrame#close}, on any thread), and the next {@link #take} reuses
 * it. This is libavutil's {@code AVBufferPool}, the allocator FFmpeg's own decoders use, so a stage that makes a
 * new frame per picture (a scaler feeding a jitter buffer) allocates nothing once as many buffers exist as are in
 * flight, whatever that number is (unlike a fixed ring, which has to guess it).
 *
 * <p>{@link #take} is meant for one producer thread; returning buffers is thread-safe. {@link #close} may be called
 * while frames are still out: the pool is freed when the last one comes back.
 */
public final class FramePool implements AutoCloseable {
    /** Row alignment, as {@link VideoFrame#allocate} (SIMD loads in swscale, OpenCV and x264). */
    private static final int ALIGN = 32;

    private final int width;
    private final int height;
    private AVBufferPool pool;

    /** @param width even; @param height even */
    public FramePool(int width, int height) {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("I420 needs a positive, even size, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        int size = av_image_get_buffer_size(AV_PIX_FMT_YUV420P, width, height, ALIGN);
        if (size <= 0) throw new IllegalArgumentException("no I420 buffer size for " + width + "x" + height);
        this.pool = av_buffer_pool_init(size, null);
        if (pool == null) throw new IllegalStateException("out of memory creating a frame pool");
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** A writable frame of the pool's size with uninitialised pixels; the caller owns it. */
    public VideoFrame take(long ptsMicros) {
        if (pool == null) throw new IllegalStateException("frame pool is closed");
        AVBufferRef buf = av_buffer_pool_get(pool);
        if (buf == null) throw new IllegalStateException("out of memory taking a " + width + "x" + height + " frame");
        AVFrame f = av_frame_alloc();
        if (f == null) {
            av_buffer_unref(buf);
            throw new IllegalStateException("out of memory allocating a frame");
        }
        f.format(AV_PIX_FMT_YUV420P);
        f.width(width);
        f.height(height);
        f.buf(0, buf);
        if (av_image_fill_arrays(f.data(), f.linesize(), buf.data(), AV_PIX_FMT_YUV420P, width, height, ALIGN) < 0) {
            av_frame_free(f); // unrefs buf(0): the buffer goes back to the pool
            throw new IllegalStateException("av_image_fill_arrays failed for " + width + "x" + height);
        }
        return VideoFrame.adopt(f, ptsMicros);
    }

    /** Frees the pool once every frame taken from it has been closed; {@link #take} fails from now on. */
    @Override
    public void close() {
        if (pool != null) {
            av_buffer_pool_uninit(pool);
            pool = null;
        }
    }
}
