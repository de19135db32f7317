package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Resizes the picture to a fixed size (stage type {@code scale}), each I420 plane on its own, into a new frame (the
 * input is closed). Area averaging when shrinking (no aliasing), bilinear when enlarging.
 */
public final class Scale extends FrameStage {
    private final int width;
    private final int height;
    private final Size lumaSize;
    private final Size chromaSize;

    /** @param width even output width; @param height even output height */
    public Scale(int width, int height) {
        super("scale");
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("scale needs a positive even size (4:2:0 chroma), got "
                    + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.lumaSize = new Size(width, height);
        this.chromaSize = new Size(width / 2, height / 2);
    }

    @Override
    protected VideoFrame process(VideoFrame frame, FrameContext context) {
        if (frame.width() == width && frame.height() == height) {
            return frame;
        }
        int interpolation = width <= frame.width() && height <= frame.height() ? INTER_AREA : INTER_LINEAR;
        return FrameRewrite.into(frame, width, height, (in, out) -> {
            // The destination views already have the requested size and type, so resize writes into the new
            // frame's buffers instead of allocating.
            resize(in.y(), out.y(), lumaSize, 0, 0, interpolation);
            resize(in.u(), out.u(), chromaSize, 0, 0, interpolation);
            resize(in.v(), out.v(), chromaSize, 0, 0, interpolation);
        });
    }

    @Override
    public void close() {
        lumaSize.close();
        chromaSize.close();
    }
}
