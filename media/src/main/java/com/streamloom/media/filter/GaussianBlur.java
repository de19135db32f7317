package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;

/** Gaussian blur of the whole picture (stage type {@code gaussian-blur}), in place on the I420 planes. */
public final class GaussianBlur extends FrameStage {
    private final PlaneBlur blur;

    /** @param kernel odd kernel size in luma pixels; @param sigma 0 derives it from the kernel (OpenCV's rule) */
    public GaussianBlur(int kernel, double sigma) {
        super("gaussian-blur");
        this.blur = new PlaneBlur(kernel, sigma);
    }

    @Override
    protected VideoFrame process(VideoFrame frame, FrameContext context) {
        blur.blur(frame.makeWritable());
        return frame;
    }

    @Override
    public void close() {
        blur.close();
    }
}
