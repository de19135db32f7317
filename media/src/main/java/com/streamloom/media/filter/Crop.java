package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * Keeps a rectangle of the picture (stage type {@code crop}), copied into a new frame (the input is closed).
 *
 * <p>The rectangle is clipped to each frame, so one spec works for any input size, and aligned to even
 * coordinates so it maps exactly onto the half-resolution chroma planes. A rectangle that misses the frame
 * entirely leaves the frame whole rather than producing an empty picture the encoder could not take.
 */
public final class Crop extends FrameStage {
    private final int x;
    private final int y;
    private final int width;
    private final int height;
    private final Rect luma = new Rect();
    private final Rect chroma = new Rect();

    public Crop(int x, int y, int width, int height) {
        super("crop");
        if (x < 0 || y < 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("crop needs x, y >= 0 and a positive size, got "
                    + x + "," + y + " " + width + "x" + height);
        }
        this.x = x;
        this.y = y;
        this.width = width;
        this.height = height;
    }

    @Override
    protected VideoFrame process(VideoFrame frame, FrameContext context) {
        int left = even(Math.min(x, frame.width()));
        int top = even(Math.min(y, frame.height()));
        int w = even(Math.min(width, frame.width() - left));
        int h = even(Math.min(height, frame.height() - top));
        if (w < 2 || h < 2 || (w == frame.width() && h == frame.height())) {
            return frame;
        }
        luma.x(left).y(top).width(w).height(h);
        chroma.x(left / 2).y(top / 2).width(w / 2).height(h / 2);
        return FrameRewrite.into(frame, w, h, (in, out) -> {
            copy(in.y(), luma, out.y());
            copy(in.u(), chroma, out.u());
            copy(in.v(), chroma, out.v());
        });
    }

    private static void copy(Mat plane, Rect area, Mat into) {
        try (Mat part = new Mat(plane, area)) {
            part.copyTo(into);
        }
    }

    private static int even(int v) {
        return v & ~1;
    }

    @Override
    public void close() {
        luma.close();
        chroma.close();
    }
}
