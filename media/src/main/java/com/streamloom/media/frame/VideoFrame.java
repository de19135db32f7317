package com.streamloom.media.frame;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

/**
 * A decoded picture in I420 (YUV 4:2:0 planar, 8 bit), the one pixel format of the whole pipeline.
 *
 * <p>Why I420 and not BGR: the decoder produces it and the encoder consumes it, so a pipeline of stages that work
 * on planes (blur, grayscale, brightness, overlays, face detection on the luma plane) converts pixel formats zero
 * times per frame. A stage that really needs BGR converts once, inside itself.
 *
 * <p>Ownership: a {@code VideoFrame} owns its native {@link AVFrame} and the {@link Mat} plane views made from it;
 * {@link #close()} frees them all. A stage that returns a different frame than it received closes the one it
 * received. The plane views share memory with the AVFrame: writing to {@code y()} changes the picture.
 */
public final class VideoFrame implements AutoCloseable {
    private AVFrame frame;
    private long ptsMicros;
    private Mat y;
    private Mat u;
    private Mat v;

    private VideoFrame(AVFrame frame, long ptsMicros) {
        this.frame = frame;
        this.ptsMicros = ptsMicros;
    }

    /** Allocates a new writable I420 frame of the given size (both even) with uninitialised pixels. */
    public static VideoFrame allocate(int width, int height, long ptsMicros) {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("I420 needs a positive, even size, got " + width + "x" + height);
        }
        AVFrame f = av_frame_alloc();
        f.format(AV_PIX_FMT_YUV420P);
        f.width(width);
        f.height(height);
        if (av_frame_get_buffer(f, 32) < 0) {
            av_frame_free(f);
            throw new IllegalStateException("out of memory allocating a " + width + "x" + height + " frame");
        }
        return new VideoFrame(f, ptsMicros);
    }

    /**
     * Takes ownership of an AVFrame that is already YUV420P (for example straight from the decoder after
     * {@code av_frame_move_ref} or from a scaler). The caller must not free it afterwards.
     */
    public static VideoFrame adopt(AVFrame frame, long ptsMicros) {
        if (frame.format() != AV_PIX_FMT_YUV420P) {
            throw new IllegalArgumentException("VideoFrame holds YUV420P only, got pixel format " + frame.format());
        }
        return new VideoFrame(frame, ptsMicros);
    }

    /** A deep copy with its own buffers; the caller owns it. */
    public VideoFrame copy() {
        VideoFrame c = allocate(width(), height(), ptsMicros);
        if (av_frame_copy(c.frame, frame) < 0) {
            c.close();
            throw new IllegalStateException("av_frame_copy failed");
        }
        return c;
    }

    /**
     * Makes the buffers exclusively ours before writing (a decoder may still reference them). Plane views are
     * recreated if the buffers moved.
     */
    public VideoFrame makeWritable() {
        long before = frame.data(0).address();
        if (av_frame_make_writable(frame) < 0) {
            throw new IllegalStateException("av_frame_make_writable failed");
        }
        if (frame.data(0).address() != before) {
            releaseViews();
        }
        return this;
    }

    public int width() {
        return frame.width();
    }

    public int height() {
        return frame.height();
    }

    /** Presentation time in microseconds on the stream's own clock. */
    public long ptsMicros() {
        return ptsMicros;
    }

    public void setPtsMicros(long ptsMicros) {
        this.ptsMicros = ptsMicros;
    }

    /** The luma plane as a {@code CV_8UC1} Mat of width x height that shares the frame's memory. */
    public Mat y() {
        if (y == null) {
            y = plane(0, width(), height());
        }
        return y;
    }

    /** The Cb plane, (width/2) x (height/2). */
    public Mat u() {
        if (u == null) {
            u = plane(1, (width() + 1) / 2, (height() + 1) / 2);
        }
        return u;
    }

    /** The Cr plane, (width/2) x (height/2). */
    public Mat v() {
        if (v == null) {
            v = plane(2, (width() + 1) / 2, (height() + 1) / 2);
        }
        return v;
    }

    /** The native frame; still owned by this object. */
    public AVFrame avFrame() {
        return frame;
    }

    private Mat plane(int index, int w, int h) {
        ensureOpen();
        return new Mat(h, w, CV_8UC1, frame.data(index), frame.linesize(index));
    }

    private void ensureOpen() {
        if (frame == null) {
            throw new IllegalStateException("frame is closed");
        }
    }

    private void releaseViews() {
        if (y != null) y.close();
        if (u != null) u.close();
        if (v != null) v.close();
        y = u = v = null;
    }

    @Override
    public void close() {
        if (frame != null) {
            releaseViews();
            av_frame_free(frame);
            frame = null;
        }
    }

    public boolean isClosed() {
        return frame == null;
    }
}
