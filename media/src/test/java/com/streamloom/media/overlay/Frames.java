package com.streamloom.media.overlay;

import com.streamloom.media.frame.VideoFrame;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.awt.Rectangle;
import java.nio.ByteBuffer;

/** Test frames and pixel probes on the I420 planes of a {@link VideoFrame}. */
final class Frames {
    private Frames() {
    }

    /** A frame of one colour: luma {@code y}, chroma {@code u}/{@code v}. */
    static VideoFrame solid(int w, int h, int y, int u, int v, long ptsMicros) {
        VideoFrame f = VideoFrame.allocate(w, h, ptsMicros);
        fill(f, 0, y);
        fill(f, 1, u);
        fill(f, 2, v);
        return f;
    }

    private static void fill(VideoFrame f, int plane, int value) {
        int w = planeWidth(f, plane);
        int h = planeHeight(f, plane);
        ByteBuffer b = buffer(f, plane);
        byte[] row = new byte[w];
        java.util.Arrays.fill(row, (byte) value);
        for (int y = 0; y < h; y++) {
            b.put(y * f.avFrame().linesize(plane), row, 0, w);
        }
    }

    static int planeWidth(VideoFrame f, int plane) {
        return plane == 0 ? f.width() : (f.width() + 1) / 2;
    }

    static int planeHeight(VideoFrame f, int plane) {
        return plane == 0 ? f.height() : (f.height() + 1) / 2;
    }

    private static ByteBuffer buffer(VideoFrame f, int plane) {
        AVFrame av = f.avFrame();
        return av.data(plane).capacity((long) av.linesize(plane) * planeHeight(f, plane)).asByteBuffer();
    }

    /** The sample at (x, y) of a plane (0 = Y, 1 = U, 2 = V; chroma coordinates are halved). */
    static int sample(VideoFrame f, int plane, int x, int y) {
        return buffer(f, plane).get(y * f.avFrame().linesize(plane) + x) & 0xFF;
    }

    /** A tightly packed copy of one plane. */
    static int[][] plane(VideoFrame f, int plane) {
        int w = planeWidth(f, plane);
        int h = planeHeight(f, plane);
        int[][] out = new int[h][w];
        ByteBuffer b = buffer(f, plane);
        byte[] row = new byte[w];
        for (int y = 0; y < h; y++) {
            b.get(y * f.avFrame().linesize(plane), row, 0, w);
            for (int x = 0; x < w; x++) {
                out[y][x] = row[x] & 0xFF;
            }
        }
        return out;
    }

    /** The bounding box of luma pixels that differ between two frames of equal size; null if none differ. */
    static Rectangle changedLuma(VideoFrame a, VideoFrame b) {
        int[][] pa = plane(a, 0);
        int[][] pb = plane(b, 0);
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
        for (int y = 0; y < pa.length; y++) {
            for (int x = 0; x < pa[y].length; x++) {
                if (pa[y][x] != pb[y][x]) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? null : new Rectangle(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    /** How many samples of a plane differ between two frames. */
    static int differingSamples(VideoFrame a, VideoFrame b, int plane) {
        int[][] pa = plane(a, plane);
        int[][] pb = plane(b, plane);
        int n = 0;
        for (int y = 0; y < pa.length; y++) {
            for (int x = 0; x < pa[y].length; x++) {
                if (pa[y][x] != pb[y][x]) {
                    n++;
                }
            }
        }
        return n;
    }

    /** How many luma samples inside {@code r} are at least {@code threshold}. */
    static int brightLuma(VideoFrame f, Rectangle r, int threshold) {
        int[][] p = plane(f, 0);
        int n = 0;
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                if (p[y][x] >= threshold) {
                    n++;
                }
            }
        }
        return n;
    }
}
