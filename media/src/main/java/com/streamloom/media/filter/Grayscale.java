package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Removes colour (stage type {@code grayscale}). In YUV the luma plane already is the grey picture, so this only sets
 * both chroma planes to the neutral value 128 and never touches luma: no colour conversion at all.
 */
public final class Grayscale extends FrameStage {
    private static final int NEUTRAL_CHROMA = 128;

    private final Scalar neutral = new Scalar(NEUTRAL_CHROMA);

    public Grayscale() {
        super("grayscale");
    }

    @Override
    protected VideoFrame process(VideoFrame frame, FrameContext context) {
        frame.makeWritable();
        frame.u().put(neutral);
        frame.v().put(neutral);
        return frame;
    }

    @Override
    public void close() {
        neutral.close();
    }
}
