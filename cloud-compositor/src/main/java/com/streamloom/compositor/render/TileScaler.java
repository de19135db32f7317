package com.streamloom.compositor.render;

import com.streamloom.compositor.layout.Box;
import com.streamloom.media.frame.FramePool;
import com.streamloom.media.frame.VideoFrame;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Shrinks an input's decoded pictures to the size they will be drawn at, on the input's own worker thread, right
 * after decoding. The renderer then only copies each picture into its cell: scaling, which grows
 * with the number of inputs, leaves the single output thread (16 inputs in a 4x4 grid: 12 ms of each 33 ms tick
 * before) and spreads over the inputs' threads, where the freshly decoded picture is still in that core's cache.
 * The jitter buffer then holds tile-sized pictures (a quarter of the memory in a 2x2 grid), and the decoder gets
 * its full-size buffer back at once.
 *
 * <p>The target is the cell the layout gives the input ({@link #target}, set by the output thread whenever the
 * layout changes; the largest one if the input is placed more than once). Each picture is fitted into it exactly as
 * {@link Renderer} fits it ({@link Box#fit}), with the same interpolation ({@link Renderer#interpolation}), so the
 * output is the same picture as when the renderer scaled. Pictures are only ever shrunk: one smaller than its cell
 * is left as it is, for the renderer to enlarge, so that the buffer does not hold more pixels than the input sent.
 * Pictures scaled for an older layout are scaled again by the renderer, until new ones arrive a frame later.
 *
 * <p>Threads: {@link #fit} and {@link #close} on the worker (close after it stopped), {@link #target} on any thread.
 */
public final class TileScaler implements AutoCloseable {
    private volatile Box target;
    private FramePool pool;
    private Size lumaSize;
    private Size chromaSize;

    /** The cell the input is drawn into, or null to keep pictures as decoded (for instance: not placed). */
    public void target(Box cell) {
        this.target = cell;
    }

    public Box target() {
        return target;
    }

    /**
     * Returns the picture at the size it will be drawn at: {@code frame} itself when nothing is to be shrunk, else a
     * new pooled frame (and {@code frame} is closed).
     */
    public VideoFrame fit(VideoFrame frame) {
        Box cell = target;
        if (cell == null) return frame;
        Box content = cell.fit(frame.width(), frame.height());
        int w = content.width(), h = content.height();
        if (w >= frame.width() || h >= frame.height()) return frame;
        if (pool == null || pool.width() != w || pool.height() != h) newSize(w, h);
        VideoFrame out = pool.take(frame.ptsMicros());
        int interpolation = Renderer.interpolation(frame.width(), frame.height(), w, h);
        try {
            resize(frame.y(), out.y(), lumaSize, 0, 0, interpolation);
            resize(frame.u(), out.u(), chromaSize, 0, 0, interpolation);
            resize(frame.v(), out.v(), chromaSize, 0, 0, interpolation);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        frame.close();
        return out;
    }

    private void newSize(int w, int h) {
        freeSizes();
        pool = new FramePool(w, h);
        lumaSize = new Size(w, h);
        chromaSize = new Size(w / 2, h / 2);
    }

    private void freeSizes() {
        if (pool != null) pool.close(); // frames still in the jitter buffer keep their buffers until closed
        if (lumaSize != null) lumaSize.close();
        if (chromaSize != null) chromaSize.close();
        pool = null;
        lumaSize = chromaSize = null;
    }

    @Override
    public void close() {
        freeSizes();
    }
}
