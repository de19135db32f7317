package com.streamloom.media.overlay;

import com.streamloom.media.frame.VideoFrame;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;

/**
 * An overlay picture converted once into premultiplied Y, U, V and alpha planes, ready to be alpha-blended onto
 * I420 frames many times.
 *
 * <p>Why premultiplied and precomputed: the colour conversion (BT.601, limited range, the matrix of SD and of most
 * H.264 streams that do not say otherwise) and the multiplication by alpha happen once per overlay picture, not
 * once per frame; per frame each covered pixel costs one multiply, one add and one divide per plane.
 *
 * <p>4:2:0 chroma: each chroma sample covers a 2x2 block of luma. The block's alpha is the average of its four
 * alphas and its premultiplied U/V the average of the four premultiplied values, which is the correct box-filtered
 * downsampling of a premultiplied image. To keep the blocks aligned with the frame's chroma grid the bitmap has an
 * even size (padded with transparent pixels) and is placed at even coordinates; one pixel of position does not
 * matter for an overlay, a colour fringe from misaligned chroma would.
 */
final class YuvaBitmap {
    private final int width;
    private final int height;
    // Compact types keep a full-frame bitmap at about 4 bytes per pixel: a premultiplied sample (value * alpha,
    // 0..65025) fits a char, an alpha a byte.
    /** Y * alpha per luma pixel. */
    private final char[] lumaPremultiplied;
    private final byte[] lumaAlpha;
    /** Averaged premultiplied Cb, Cr and alpha per 2x2 block. */
    private final char[] cbPremultiplied;
    private final char[] crPremultiplied;
    private final byte[] chromaAlpha;
    /** Reused row buffer: stages run on one thread (FrameStage contract), so one buffer per bitmap is safe. */
    private final byte[] row;

    private YuvaBitmap(int width, int height) {
        this.width = width;
        this.height = height;
        this.lumaPremultiplied = new char[width * height];
        this.lumaAlpha = new byte[width * height];
        int chroma = (width / 2) * (height / 2);
        this.cbPremultiplied = new char[chroma];
        this.crPremultiplied = new char[chroma];
        this.chromaAlpha = new byte[chroma];
        this.row = new byte[width];
    }

    /** Converts a picture (any {@link BufferedImage} type; its alpha is honoured) into an even-sized bitmap. */
    static YuvaBitmap fromImage(BufferedImage image) {
        int srcW = image.getWidth();
        int srcH = image.getHeight();
        YuvaBitmap b = new YuvaBitmap(srcW + (srcW & 1), srcH + (srcH & 1));
        int[] argb = image.getRGB(0, 0, srcW, srcH, null, 0, srcW); // non-premultiplied ARGB, whatever the type
        int[] alpha = new int[b.width * b.height];
        int[] cb = new int[b.width * b.height];
        int[] cr = new int[b.width * b.height];
        for (int y = 0; y < srcH; y++) {
            for (int x = 0; x < srcW; x++) {
                int p = argb[y * srcW + x];
                int a = p >>> 24;
                int r = (p >> 16) & 0xFF;
                int g = (p >> 8) & 0xFF;
                int bl = p & 0xFF;
                int i = y * b.width + x;
                // BT.601 limited range (ITU-R BT.601 section 2.5.3, 8-bit quantisation).
                double luma = 16 + 0.256788 * r + 0.504129 * g + 0.097906 * bl;
                double cbv = 128 - 0.148223 * r - 0.290993 * g + 0.439216 * bl;
                double crv = 128 + 0.439216 * r - 0.367788 * g - 0.071427 * bl;
                alpha[i] = a;
                b.lumaAlpha[i] = (byte) a;
                b.lumaPremultiplied[i] = (char) Math.round(luma * a);
                cb[i] = (int) Math.round(cbv * a);
                cr[i] = (int) Math.round(crv * a);
            }
        }
        int cw = b.width / 2;
        for (int cy = 0; cy < b.height / 2; cy++) {
            for (int cx = 0; cx < cw; cx++) {
                int i00 = (2 * cy) * b.width + 2 * cx;
                int i10 = i00 + b.width;
                int c = cy * cw + cx;
                b.chromaAlpha[c] = (byte) ((alpha[i00] + alpha[i00 + 1] + alpha[i10] + alpha[i10 + 1] + 2) / 4);
                b.cbPremultiplied[c] = (char) ((cb[i00] + cb[i00 + 1] + cb[i10] + cb[i10 + 1] + 2) / 4);
                b.crPremultiplied[c] = (char) ((cr[i00] + cr[i00 + 1] + cr[i10] + cr[i10 + 1] + 2) / 4);
            }
        }
        return b;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Pixels covered, for memory budgets. */
    long pixels() {
        return (long) width * height;
    }

    /**
     * Blends this bitmap onto the frame with its top-left corner at (left, top) in luma pixels, rounded down to
     * even; parts outside the frame are clipped. Only the covered rectangle of each plane is read and written.
     */
    void blendOnto(VideoFrame frame, int left, int top) {
        frame.makeWritable();
        int x0 = left & ~1; // floor to even, also for negative positions
        int y0 = top & ~1;
        AVFrame av = frame.avFrame();
        blendPlane(av, 0, frame.width(), frame.height(), x0, y0, width, height, lumaPremultiplied, lumaAlpha);
        int cw = (frame.width() + 1) / 2;
        int ch = (frame.height() + 1) / 2;
        blendPlane(av, 1, cw, ch, x0 / 2, y0 / 2, width / 2, height / 2, cbPremultiplied, chromaAlpha);
        blendPlane(av, 2, cw, ch, x0 / 2, y0 / 2, width / 2, height / 2, crPremultiplied, chromaAlpha);
    }

    private void blendPlane(AVFrame av, int plane, int planeW, int planeH, int left, int top, int w, int h,
                            char[] premultiplied, byte[] alpha) {
        int fromX = Math.max(0, left);
        int toX = Math.min(planeW, left + w);
        int fromY = Math.max(0, top);
        int toY = Math.min(planeH, top + h);
        if (fromX >= toX || fromY >= toY) {
            return;
        }
        int stride = av.linesize(plane);
        if (stride < planeW) {
            throw new IllegalStateException("unsupported plane layout: linesize " + stride + " for width " + planeW);
        }
        ByteBuffer pixels = av.data(plane).capacity((long) stride * planeH).asByteBuffer();
        int n = toX - fromX;
        for (int y = fromY; y < toY; y++) {
            int rowStart = y * stride + fromX;
            pixels.get(rowStart, row, 0, n);
            int src = (y - top) * w + (fromX - left);
            for (int i = 0; i < n; i++, src++) {
                int a = alpha[src] & 0xFF;
                if (a != 0) {
                    int dst = row[i] & 0xFF;
                    row[i] = (byte) ((premultiplied[src] + dst * (255 - a) + 127) / 255);
                }
            }
            pixels.put(rowStart, row, 0, n);
        }
    }
}
