package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;

/**
 * The one way a stage replaces its input with a frame of another size (scale, crop, rotate by 90): allocate the
 * output, let the stage write it from the input, close the input, and never leak the output if writing fails.
 */
final class FrameRewrite {

    @FunctionalInterface
    interface Writer {
        void write(VideoFrame from, VideoFrame into);
    }

    private FrameRewrite() {
    }

    static VideoFrame into(VideoFrame input, int width, int height, Writer writer) {
        try (input) {
            VideoFrame out = VideoFrame.allocate(width, height, input.ptsMicros());
            try {
                writer.write(input, out);
                return out;
            } catch (RuntimeException e) {
                out.close();
                throw e;
            }
        }
    }
}
