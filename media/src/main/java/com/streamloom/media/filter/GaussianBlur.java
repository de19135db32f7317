package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_copy_props;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_is_writable;

/**
 * Gaussian blur of the whole picture (stage type {@code gaussian-blur}).
 *
 * <p>A frame straight from the decoder shares its buffers with the decoder's reference pictures, so it is blurred
 * into a new frame: blurring it in place would copy the picture twice (once to make it writable, once more inside
 * OpenCV, which copies a source that is also the destination), about 3 MB of memory traffic per 720p frame for
 * nothing (found with the edge benchmark). A frame that is already ours is blurred in place.
 */
public final class GaussianBlur extends FrameStage {
    private final PlaneBlur blur;

    /** @param kernel odd kernel size in luma pixels; @param sigma 0 derives it from the kernel (OpenCV's rule) */
    public GaussianBlur(int kernel, double sigma) {
        super("gaussian-blur");
        this.blur = new PlaneBlur(kernel, sigma);
    }

    @Override
    protected VideoFrame process(VideoFrame frame, FrameContext context) {
        boolean evenSize = (frame.width() & 1) == 0 && (frame.height() & 1) == 0;
        if (av_frame_is_writable(frame.avFrame()) != 0 || !evenSize) {
            blur.blur(frame.makeWritable());
            return frame;
        }
        VideoFrame out = VideoFrame.allocate(frame.width(), frame.height(), frame.ptsMicros());
        try {
            av_frame_copy_props(out.avFrame(), frame.avFrame());   // colour description, aspect ratio, side data
            blur.blur(frame, out);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        frame.close();
        return out;
    }

    @Override
    public void close() {
        blur.close();
    }
}
