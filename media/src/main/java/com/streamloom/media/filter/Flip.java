package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;

import java.util.Locale;

import static org.bytedeco.opencv.global.opencv_core.flip;

/** Mirrors the picture (stage type {@code flip}), in place, each plane with {@code cv::flip}. */
public final class Flip extends FrameStage {

    /** The mirror axis, with OpenCV's flip code. */
    public enum Direction {
        HORIZONTAL(1), VERTICAL(0), BOTH(-1);

        private final int flipCode;

        Direction(int flipCode) {
            this.flipCode = flipCode;
        }

        /** Parses the spec's value ({@code horizontal}, {@code vertical}, {@code both}). */
        public static Direction of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("flip direction must be horizontal, vertical or both, got "
                        + name);
            }
        }
    }

    private final Direction direction;

    public Flip(Direction direction) {
        super("flip");
        this.direction = direction;
    }

    @Override
    protected VideoFrame process(VideoFrame frame, FrameContext context) {
        return inPlace(frame, direction);
    }

    /** Mirrors every plane of {@code frame} in place (also {@link Rotate}'s 180 degrees) and returns it. */
    static VideoFrame inPlace(VideoFrame frame, Direction direction) {
        frame.makeWritable();
        // cv::flip swaps pixel pairs (rows or columns) and so is safe in place.
        flip(frame.y(), frame.y(), direction.flipCode);
        flip(frame.u(), frame.u(), direction.flipCode);
        flip(frame.v(), frame.v(), direction.flipCode);
        return frame;
    }
}
