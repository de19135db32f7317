package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

/**
 * Unsharp mask on luma (stage type {@code sharpen}): {@code y + amount * (y - blur(y))}. Chroma is left alone, as
 * perceived sharpness is almost all in luma and sharpening chroma mostly amplifies compression noise.
 */
public final class Sharpen extends FrameStage {
    /** Radius of the detail that is boosted; about 1.5 px is the classic unsharp-mask setting for video. */
    private static final double MASK_SIGMA = 1.5;

    private final double amount;
    private final Size autoKernel = new Size(0, 0);
    private final Mat blurred = new Mat();

    public Sharpen(double amount) {
        super("sharpen");
        if (!(amount >= 0)) {
            throw new IllegalArgumentException("sharpen amount must be >= 0, got " + amount);
        }
        this.amount = amount;
    }

    @Override
    protected VideoFrame process(VideoFrame frame, FrameContext context) {
        if (amount == 0) {
            return frame;
        }
        frame.makeWritable();
        Mat y = frame.y();
        // `blurred` keeps its buffer between frames of the same size (Mat.create reuses it).
        GaussianBlur(y, blurred, autoKernel, MASK_SIGMA);
        addWeighted(y, 1 + amount, blurred, -amount, 0, y);
        return frame;
    }

    @Override
    public void close() {
        blurred.close();
        autoKernel.close();
    }
}
