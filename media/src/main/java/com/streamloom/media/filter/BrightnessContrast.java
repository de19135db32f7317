package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;

/**
 * Brightness and contrast on luma (stage type {@code brightness-contrast}):
 * {@code out = contrast * (in - 128) + 128 + brightness}, saturated to 0..255. One {@code convertTo} pass on the
 * luma plane; chroma is untouched so colours keep their hue.
 */
public final class BrightnessContrast extends FrameStage {
    private static final double MID_GREY = 128;

    private final double gain;
    private final double offset;

    public BrightnessContrast(double brightness, double contrast) {
        super("brightness-contrast");
        if (!Double.isFinite(brightness) || !(contrast >= 0) || Double.isInfinite(contrast)) {
            throw new IllegalArgumentException("brightness must be finite and contrast >= 0, got "
                    + brightness + ", " + contrast);
        }
        this.gain = contrast;
        this.offset = MID_GREY * (1 - contrast) + brightness;
    }

    @Override
    protected VideoFrame process(VideoFrame frame, FrameContext context) {
        if (gain == 1 && offset == 0) {
            return frame;
        }
        frame.makeWritable();
        // In place: convertTo with the same depth writes element by element.
        frame.y().convertTo(frame.y(), -1, gain, offset);
        return frame;
    }
}
