package com.streamloom.compositor.testing;

import com.streamloom.compositor.render.YuvColor;
import com.streamloom.media.frame.VideoFrame;
import org.bytedeco.javacpp.Pointer;

/** Synthetic input pictures for the benchmark and the tests: flat colours, so each region's source is known. */
public final class TestCards {
    private TestCards() {
    }

    /** A new frame of one colour; the caller owns it. */
    public static VideoFrame solid(int width, int height, YuvColor color, long ptsMicros) {
        VideoFrame f = VideoFrame.allocate(width, height, ptsMicros);
        int[] values = {color.y(), color.u(), color.v()};
        for (int plane = 0; plane < 3; plane++) {
            int rows = plane == 0 ? height : height / 2;
            Pointer.memset(f.avFrame().data(plane), values[plane], (long) f.avFrame().linesize(plane) * rows);
        }
        return f;
    }

    /** The (Y, U, V) sample at pixel (x, y) of a frame. */
    public static YuvColor sample(VideoFrame f, int x, int y) {
        int yy = f.avFrame().data(0).get((long) y * f.avFrame().linesize(0) + x) & 0xff;
        int u = f.avFrame().data(1).get((long) (y / 2) * f.avFrame().linesize(1) + x / 2) & 0xff;
        int v = f.avFrame().data(2).get((long) (y / 2) * f.avFrame().linesize(2) + x / 2) & 0xff;
        return new YuvColor(yy, u, v);
    }
}
