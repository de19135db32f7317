package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;

import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.rotate;

/**
 * Rotates the picture clockwise by 90, 180 or 270 degrees (stage type {@code rotate}). 180 is a flip on both axes
 * done in place; 90 and 270 swap width and height, so they write a new frame (the input is closed).
 */
public final class Rotate extends FrameStage {
    private final int degrees;

    public Rotate(int degrees) {
        super("rotate");
        if (degrees != 90 && degrees != 180 && degrees != 270) {
            throw new IllegalArgumentException("rotate takes 90, 180 or 270 degrees, got " + degrees);
        }
        this.degrees = degrees;
    }

    @Override
    protected VideoFrame process(VideoFrame frame, FrameContext context) {
        if (degrees == 180) {
            return Flip.inPlace(frame, Flip.Direction.BOTH);
        }
        int code = degrees == 90 ? ROTATE_90_CLOCKWISE : ROTATE_90_COUNTERCLOCKWISE;
        return FrameRewrite.into(frame, frame.height(), frame.width(), (in, out) -> {
            // The destination views already have the rotated size, so cv::rotate writes into the new frame.
            rotate(in.y(), out.y(), code);
            rotate(in.u(), out.u(), code);
            rotate(in.v(), out.v(), code);
        });
    }
}
